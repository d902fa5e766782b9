// The result of evaluating an integration's requestParameters (data-plane.md §10.4) for one request: values for
// the backend's path placeholders, extra query parameters and headers.

export interface MappedParameters {
  readonly path: ReadonlyMap<string, string>;
  readonly querystring: ReadonlyMap<string, readonly string[]>;
  /** Lower-case name → [name as configured, value]. */
  readonly header: ReadonlyMap<string, readonly [string, string]>;
}

export const NO_PARAMETERS: MappedParameters = { path: new Map(), querystring: new Map(), header: new Map() };
