/**
 * @module main/cli/usage-error
 * A wrong command line (missing or bad option): exit code 2 and a pointer to `--help`, never a stack trace.
 */
export class UsageError extends Error {}
