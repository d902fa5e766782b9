// Media-type handling for template selection (§10.5, §10.8) and binary media types (§16.2).

/** The `type/subtype` of a Content-Type value, lower-cased, without parameters ("; charset=…"). */
export function mediaTypeOf(contentTypeHeader: string | undefined): string | undefined {
  if (contentTypeHeader === undefined) return undefined;
  const semicolon = contentTypeHeader.indexOf(";");
  const type = (semicolon === -1 ? contentTypeHeader : contentTypeHeader.slice(0, semicolon)).trim().toLowerCase();
  return type === "" ? undefined : type;
}

/** API Gateway only looks at the first media type of an Accept list, ignoring q-values and order. */
export function firstAcceptType(accept: string | undefined): string | undefined {
  if (accept === undefined) return undefined;
  const comma = accept.indexOf(",");
  return mediaTypeOf(comma === -1 ? accept : accept.slice(0, comma));
}

/**
 * §16.2: an entry matches its exact type/subtype (case-insensitively); an entry `type/*` matches every subtype
 * of `type`; the entry `*\/*` matches everything (documented); left wildcards such as `*\/png` never match; a
 * wildcard in the value itself is compared literally (`Accept: *\/*` does not match `image/png`).
 */
export function matchesBinaryMediaTypes(binaryMediaTypes: readonly string[], mediaType: string | undefined): boolean {
  const value = mediaTypeOf(mediaType);
  if (value === undefined) return false;
  const slash = value.indexOf("/");
  const valueType = slash === -1 ? value : value.slice(0, slash);
  for (const raw of binaryMediaTypes) {
    const entry = raw.trim().toLowerCase();
    if (entry === "*/*" || entry === value) return true;
    const entrySlash = entry.indexOf("/");
    if (entrySlash === -1) continue;
    const entryType = entry.slice(0, entrySlash);
    const entrySubtype = entry.slice(entrySlash + 1);
    if (entryType !== "*" && entrySubtype === "*" && entryType === valueType) return true;
  }
  return false;
}

function findKey(templates: Record<string, unknown>, key: string): string | undefined {
  if (Object.hasOwn(templates, key)) return key;
  for (const candidate of Object.keys(templates)) if (candidate.toLowerCase() === key) return candidate;
  return undefined;
}

/** §10.5 steps 1–2: the Content-Type media type (absent → application/json), else the `$default` template. */
export function selectRequestTemplateKey(templates: Record<string, unknown>, contentType: string | undefined): string | undefined {
  const key = mediaTypeOf(contentType) ?? "application/json";
  return findKey(templates, key) ?? (Object.hasOwn(templates, "$default") ? "$default" : undefined);
}

/** §10.8 step 6: the first Accept media type, else application/json, else the first template defined. */
export function selectResponseTemplateKey(templates: Record<string, unknown>, accept: string | undefined): string | undefined {
  const wanted = firstAcceptType(accept);
  if (wanted !== undefined) {
    const exact = findKey(templates, wanted);
    if (exact !== undefined) return exact;
  }
  return findKey(templates, "application/json") ?? Object.keys(templates)[0];
}
