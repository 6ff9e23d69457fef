/** A GitHub repository as owner/name, as --repo and --issues take it. */
export const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
