/** Types for environment-signatures.cjs (plain CommonJS so Jest reporters can load it). */
export interface Signature {
  code: string;
  test: RegExp;
  summary: string;
  fix: string;
}
export declare const environmentSignatures: Signature[];
export declare function environmentSignatureIn(text: string): Signature | undefined;
