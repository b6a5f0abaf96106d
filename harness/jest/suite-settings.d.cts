/** Types for suite-settings.cjs (plain CommonJS so the test environment can load it). */
export interface SuiteSettings {
  browserEngines?: readonly string[];
  browserTimeoutMs?: number;
}
export declare function setSuiteSettings(global: Record<PropertyKey, unknown>, settings: SuiteSettings): void;
export declare function suiteSettings(): SuiteSettings;
