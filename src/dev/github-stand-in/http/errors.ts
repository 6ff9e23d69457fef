const DOCS = "https://docs.github.com/rest";

/** An error answered the way GitHub answers it: `{ message, documentation_url, status }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return {
      message: this.message,
      documentation_url: DOCS,
      status: String(this.status),
      ...this.extra,
    };
  }
}

export const notFound = (message = "Not Found") => new HttpError(404, message);

/** GitHub's 422 for a missing or invalid field. */
export function unprocessable(message: string, errors?: Record<string, unknown>[]): HttpError {
  return new HttpError(422, message, errors ? { errors } : {});
}
