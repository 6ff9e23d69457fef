import { Option } from "commander";

/** An --format option whose first choice is the default. */
export const formatOption = (choices: string[]) =>
  new Option("-f, --format <format>", `output format: ${choices.join(", ")}`).default(choices[0]);

/** Wraps a command so that its returned number becomes the process's exit status. */
export type Runner = <A extends unknown[]>(
  fn: (...args: A) => Promise<number> | number,
) => (...args: A) => Promise<void>;

/** Commander's way to repeat an option: each --option value adds to the list. */
export const collect = (value: string, previous: string[] = []) => [...previous, value];
