/** Start-up configuration shared by the katas: secrets that refuse to be the development one in production. */
export { InsecureSecretError, secretFromEnv } from './secret';
