import type { Fault } from "../faults.js";
import { HookDeliveries } from "../hooks/deliveries.js";
import { Clock } from "./clock.js";
import { RepositoryState, type RepositoryOptions } from "./repository.js";
import { IssuesState } from "./issues.js";
import { SettingsState } from "./settings.js";
import type { Account, AppInfo, Installation, IssuedToken, Team } from "./types.js";
import { systemClock } from "../../../adapters/clock.js";

export interface StateOptions {
  /** The registered App: id 1, slug "soc2-as-code" unless given. */
  app?: { id?: number; slug?: string; name?: string; owner?: string };
  /** Where the story clock of builder events starts (default 2026-01-05T09:00:00Z). */
  storyStart?: string;
  /** Real time for API writes (default: the system clock). */
  now?: () => Date;
}

export interface AccountOptions {
  login: string;
  id?: number;
  name?: string | null;
  email?: string | null;
  siteAdmin?: boolean;
}

export interface InstallationOptions {
  id?: number;
  account: string | Account;
  /** Full names of selected repositories; omitted: all repositories of the account. */
  repositories?: string[];
  permissions?: Record<string, "read" | "write">;
  events?: string[];
}

export interface TeamOptions {
  org: string;
  slug: string;
  name?: string;
  members?: Account[];
  maintainers?: Account[];
}

const DEFAULT_PERMISSIONS: Record<string, "read" | "write"> = {
  metadata: "read",
  contents: "write",
  pull_requests: "read",
  checks: "read",
  statuses: "read",
  members: "read",
};

const DEFAULT_EVENTS = ["pull_request", "pull_request_review", "push"];

/** Everything the stand-in knows, with typed builder methods for tests and the demo. */
export class StandInState {
  /** Injected failures; push to add one (see Fault). */
  readonly faults: Fault[] = [];
  /**
   * Consulted for every authenticated request the fault list leaves alone: a fault to answer
   * with instead, or undefined (e.g. a random 30% of requests fail, for the capture tests).
   */
  faultInjector:
    | ((request: { method: string; path: string; route: string | null }) => Fault | undefined)
    | undefined;
  readonly accounts = new Map<number, Account>();
  readonly repositories = new Map<string, RepositoryState>();
  readonly teams = new Map<string, Team>();
  readonly installations = new Map<number, Installation>();
  /** Organization settings, repository security and collaborators (continuous monitoring). */
  readonly settings = new SettingsState();
  /** Issues by repository (drift issues). */
  readonly issues = new IssuesState();
  /** Installation tokens issued by POST /app/installations/{id}/access_tokens, by fingerprint. */
  readonly tokens = new Map<string, IssuedToken>();
  readonly app: AppInfo;
  readonly clock: Clock;
  /** The App's webhook: deliveries sent to it and the log of their attempts. */
  readonly hooks: HookDeliveries;
  private readonly counters = new Map<string, number>();

  constructor(options: StateOptions = {}) {
    this.clock = new Clock(
      options.storyStart ?? "2026-01-05T09:00:00Z",
      options.now ?? systemClock,
    );
    this.hooks = new HookDeliveries(this.clock, () => this.nextId("hook-delivery", 70_000_000_001));
    const owner = this.organization(options.app?.owner ?? "soc2-as-code");
    this.app = {
      id: options.app?.id ?? 1,
      slug: options.app?.slug ?? "soc2-as-code",
      name: options.app?.name ?? "soc2-as-code",
      owner,
      permissions: DEFAULT_PERMISSIONS,
      events: DEFAULT_EVENTS,
    };
  }

  /** The next id of a kind; kinds start far apart so ids never collide across kinds. */
  nextId(kind: string, start = 1): number {
    const next = this.counters.get(kind) ?? start;
    this.counters.set(kind, next + 1);
    return next;
  }

  private addAccount(type: Account["type"], options: AccountOptions): Account {
    if (this.findAccount(options.login)) throw new Error(`account ${options.login} exists already`);
    const id = options.id ?? this.nextId("account", 1001);
    const account: Account = {
      id,
      login: options.login,
      type,
      name: options.name === undefined ? options.login : options.name,
      email:
        options.email === undefined
          ? `${id}+${options.login}@users.noreply.github.com`
          : options.email,
      siteAdmin: options.siteAdmin ?? false,
    };
    this.accounts.set(id, account);
    return account;
  }

  /** A user account. */
  addUser(options: AccountOptions | string): Account {
    return this.addAccount("User", typeof options === "string" ? { login: options } : options);
  }

  /** A bot account; the login gets GitHub's "[bot]" suffix when it lacks one. */
  addBot(options: AccountOptions | string): Account {
    const o = typeof options === "string" ? { login: options } : options;
    const login = o.login.endsWith("[bot]") ? o.login : `${o.login}[bot]`;
    return this.addAccount("Bot", { ...o, login });
  }

  /** An organization account. */
  addOrganization(options: AccountOptions | string): Account {
    return this.addAccount(
      "Organization",
      typeof options === "string" ? { login: options, email: null } : options,
    );
  }

  /** The organization (or other account) with this login, created as an organization if new. */
  organization(login: string): Account {
    return this.findAccount(login) ?? this.addOrganization(login);
  }

  findAccount(login: string): Account | undefined {
    const wanted = login.toLowerCase();
    return [...this.accounts.values()].find((a) => a.login.toLowerCase() === wanted);
  }

  /** The account with this login; throws when there is none. */
  account(login: string): Account {
    const found = this.findAccount(login);
    if (!found) throw new Error(`no account ${login}`);
    return found;
  }

  /** The account a commit email maps to, as GitHub attributes commits. */
  accountByEmail(email: string): Account | undefined {
    const wanted = email.toLowerCase();
    return [...this.accounts.values()].find((a) => a.email?.toLowerCase() === wanted);
  }

  /** The App's own bot account ("<slug>[bot]"), which API writes by an installation are made as. */
  appBot(): Account {
    return this.findAccount(`${this.app.slug}[bot]`) ?? this.addBot(this.app.slug);
  }

  /** A repository; see RepositoryOptions. */
  addRepository(options: RepositoryOptions): RepositoryState {
    const repo = new RepositoryState(this, options);
    const key = repo.fullName.toLowerCase();
    if (this.repositories.has(key)) throw new Error(`repository ${repo.fullName} exists already`);
    this.repositories.set(key, repo);
    return repo;
  }

  findRepository(owner: string, name: string): RepositoryState | undefined {
    return this.repositories.get(`${owner}/${name}`.toLowerCase());
  }

  /** The repository with this full name; throws when there is none. */
  repository(fullName: string): RepositoryState {
    const repo = this.repositories.get(fullName.toLowerCase());
    if (!repo) throw new Error(`no repository ${fullName}`);
    return repo;
  }

  /** An installation of the App. */
  addInstallation(options: InstallationOptions): Installation {
    const account =
      typeof options.account === "string" ? this.organization(options.account) : options.account;
    const installation: Installation = {
      id: options.id ?? this.nextId("installation", 42),
      account,
      repositorySelection: options.repositories ? "selected" : "all",
      repositories: options.repositories ?? [],
      permissions: options.permissions ?? DEFAULT_PERMISSIONS,
      events: options.events ?? DEFAULT_EVENTS,
      createdAt: this.clock.stamp(),
    };
    this.installations.set(installation.id, installation);
    return installation;
  }

  /** The installation that covers a repository, if any. */
  installationFor(repo: RepositoryState): Installation | undefined {
    return [...this.installations.values()].find((i) =>
      i.repositorySelection === "all"
        ? i.account.id === repo.owner.id
        : i.repositories.some((r) => r.toLowerCase() === repo.fullName.toLowerCase()),
    );
  }

  /** A team of an organization, with its members. */
  addTeam(options: TeamOptions): Team {
    const team: Team = {
      id: this.nextId("team", 3001),
      org: options.org,
      slug: options.slug,
      name: options.name ?? options.slug,
      members: options.members ?? [],
      maintainers: options.maintainers ?? [],
    };
    this.organization(options.org);
    this.teams.set(`${options.org}/${options.slug}`.toLowerCase(), team);
    return team;
  }

  findTeam(org: string, slug: string): Team | undefined {
    return this.teams.get(`${org}/${slug}`.toLowerCase());
  }
}
