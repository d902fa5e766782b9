// Custom domain names and their base path mappings (control-plane.md §3.17), stored as kind "domainname" under
// the domain name itself. The data plane resolves `Host` + first path segment through `basePathMappings`;
// cascade.ts drops mappings whose API or stage is deleted.
import { badRequest, conflict, notFound, type ApiError } from "../errors/api-error.js";
import type { EndpointConfiguration } from "./rest-api.js";
import type { BasePathMappingDoc, DomainNameDoc } from "./usage.js";

/** How a mapping created without a base path is named and addressed (`/basepathmappings/(none)`). */
export const NO_BASE_PATH = "(none)";

export interface CustomDomainDoc extends DomainNameDoc {
  domainName: string;
  domainNameArn: string;
  certificateName?: string;
  certificateArn?: string;
  certificateUploadDate?: number;
  regionalDomainName?: string;
  regionalHostedZoneId?: string;
  regionalCertificateName?: string;
  regionalCertificateArn?: string;
  distributionDomainName?: string;
  distributionHostedZoneId?: string;
  endpointConfiguration: EndpointConfiguration;
  domainNameStatus: "AVAILABLE" | "UPDATING" | "PENDING" | "PENDING_CERTIFICATE_REIMPORT" | "PENDING_OWNERSHIP_VERIFICATION";
  domainNameStatusMessage?: string;
  securityPolicy: string;
  tags: Record<string, string>;
  mutualTlsAuthentication?: { truststoreUri?: string; truststoreVersion?: string; truststoreWarnings?: string[] };
  ownershipVerificationCertificateArn?: string;
  routingMode?: string;
  basePathMappings: Record<string, BasePathMappingDoc>;
}

/** CloudFront's hosted zone, the same for every edge-optimized domain. */
export const CLOUDFRONT_HOSTED_ZONE_ID = "Z2FDTNDATAQYW2";

/** Route 53 zones of the regional execute-api endpoints (AWS's published values for these regions). */
const REGIONAL_HOSTED_ZONES: Readonly<Record<string, string>> = {
  "us-east-1": "Z1UJRXOUMOOFQ8",
  "us-east-2": "ZOJJZC49E0EPZ",
  "us-west-2": "Z2OJLYMUO9EFXC",
  "eu-west-1": "ZLY8HYME6SFDD",
};

export const regionalHostedZoneId = (region: string): string | undefined => REGIONAL_HOSTED_ZONES[region];

export const domainNotFound = (): ApiError => notFound("Invalid domain name identifier specified");
export const mappingNotFound = (): ApiError => notFound("Invalid base path mapping identifier specified");

export const domainNameArn = (region: string, domainName: string): string => `arn:aws:apigateway:${region}::/domainnames/${domainName}`;

/** RFC 1123 host names, optionally a leading wildcard label (AWS accepts `*.example.com`). */
const HOST_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

export function checkDomainName(name: string): void {
  if (name.length > 253 || !HOST_NAME.test(name)) throw badRequest(`Invalid domain name specified: ${name}`);
}

/**
 * A base path as stored: absent, empty and `(none)` all mean "no base path". AWS's REST (V1) domains allow one
 * segment only.
 */
export function normalizeBasePath(basePath: string | undefined): string {
  if (basePath === undefined || basePath === "" || basePath === NO_BASE_PATH) return NO_BASE_PATH;
  if (basePath.includes("/")) {
    throw badRequest(
      "API Gateway V1 doesn't support the slash character (/) in base path mappings. To create a multi-level base path mapping, use API Gateway V2.",
    );
  }
  return basePath;
}

export function checkFreeBasePath(domain: CustomDomainDoc, basePath: string): void {
  if (Object.hasOwn(domain.basePathMappings, basePath)) throw conflict("Base path already exists for this domain name");
}
