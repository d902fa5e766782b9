// API keys and usage plans as stored. Usage plans reference API stages and keys by id.
export interface ThrottleSettings {
  burstLimit?: number;
  rateLimit?: number;
}

export interface QuotaSettings {
  limit: number;
  offset: number;
  period: "DAY" | "WEEK" | "MONTH";
}

export interface ApiStage {
  apiId: string;
  stage: string;
  /** Per-method throttles keyed `/pets/GET`. */
  throttle?: Record<string, ThrottleSettings>;
}

export interface UsagePlanDoc {
  id: string;
  name: string;
  description?: string;
  apiStages: ApiStage[];
  throttle?: ThrottleSettings;
  quota?: QuotaSettings;
  /** Epoch seconds when the quota was set: its period is the initial one, where `offset` applies. */
  quotaSince?: number;
  productCode?: string;
  tags: Record<string, string>;
  /** Ids of the API keys in this plan, in the order they were added. */
  keyIds: string[];
}

export interface ApiKeyDoc {
  id: string;
  value: string;
  name?: string;
  customerId?: string;
  description?: string;
  enabled: boolean;
  createdDate: number;
  lastUpdatedDate: number;
  /** `{restApiId}/{stageName}` entries. */
  stageKeys: string[];
  tags: Record<string, string>;
}

export interface BasePathMappingDoc {
  basePath: string;
  restApiId: string;
  stage?: string;
}

export interface DomainNameDoc {
  domainName: string;
  [field: string]: unknown;
  basePathMappings: Record<string, BasePathMappingDoc>;
}
