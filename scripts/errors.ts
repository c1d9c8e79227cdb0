// Errors of aokit's project scripts (`aokit init`): each names the directory, name or package at fault.
import { AokitError } from '../sdk/errors.js'

/** `aokit init` was pointed at a directory that already holds files (anything but `.git`). */
export class ProjectDirNotEmptyError extends AokitError {
  override name = 'ProjectDirNotEmptyError'
  /** The absolute path of the directory. */
  readonly dir: string
  constructor(dir: string, entries: string[]) {
    super(`Directory ${dir} is not empty; pass --force to write the project into it anyway.`, {
      details: `It holds ${entries.slice(0, 5).join(', ')}${entries.length > 5 ? `, and ${entries.length - 5} more` : ''}. --force overwrites files of the template's names and keeps the rest.`,
    })
    this.dir = dir
  }
}

/** The project name given is not one npm accepts as a package name. */
export class InvalidProjectNameError extends AokitError {
  override name = 'InvalidProjectNameError'
  constructor(projectName: string) {
    super(`Project name "${projectName}" is not a valid npm package name.`, {
      details: 'Use lowercase letters, digits, "-", "." , "_" or "~" (not first), at most 214 characters, optionally with an @scope/ prefix.',
    })
  }
}

/** aokit's own package.json (where the template takes its version ranges) is missing or lacks a range. */
export class AokitPackageError extends AokitError {
  override name = 'AokitPackageError'
}
