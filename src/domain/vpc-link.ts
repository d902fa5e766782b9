// VPC links (control-plane.md §3.18), stored as kind "vpclink". AWS provisions a link for minutes (PENDING) before
// it turns AVAILABLE; here nothing needs provisioning, so only the CreateVpcLink answer says PENDING.
export interface VpcLinkDoc {
  id: string;
  name: string;
  description?: string;
  targetArns: string[];
  status: "AVAILABLE" | "PENDING" | "DELETING" | "FAILED";
  statusMessage?: string;
  tags: Record<string, string>;
}

export const VPC_LINK_READY_MESSAGE = "Your vpc link is ready for use";

/** `arn:partition:service:region:account:resource` with a non-empty service and resource. */
const ARN = /^arn:[a-z-]+:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:.+$/;

export const isWellFormedArn = (arn: string): boolean => ARN.test(arn);
