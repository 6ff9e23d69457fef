import type { Account } from "./types.js";

/** An issue (not a pull request) of a repository. */
export interface IssueState {
  id: number;
  number: number;
  title: string;
  body: string | null;
  labels: string[];
  state: "open" | "closed";
  stateReason: "completed" | "not_planned" | "duplicate" | "reopened" | null;
  author: Account;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

/** Issues by repository (full name, lower case), as the issues API serves them. */
export class IssuesState {
  readonly byRepository = new Map<string, IssueState[]>();

  of(fullName: string): IssueState[] {
    const key = fullName.toLowerCase();
    let list = this.byRepository.get(key);
    if (!list) this.byRepository.set(key, (list = []));
    return list;
  }
}
