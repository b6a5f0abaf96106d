import { randomUUID } from 'node:crypto';
import bcrypt from 'bcrypt';

export interface User {
  id: string;
  email: string;
  name: string;
}

/** Who may sign in (phase 2 keeps users in MongoDB; here they are given, the subject is sessions). */
export interface UserDirectory {
  verify(email: string, password: string): Promise<User | null>;
}

export async function createUserDirectory(
  accounts: { email: string; name: string; password: string }[],
  { bcryptRounds = 12 }: { bcryptRounds?: number } = {},
): Promise<UserDirectory & { users: User[] }> {
  const records = await Promise.all(
    accounts.map(async ({ email, name, password }) => ({ id: randomUUID(), email: email.toLowerCase(), name, hash: await bcrypt.hash(password, bcryptRounds) })),
  );
  // Compared even for an unknown email, so both failures take the same time.
  const dummyHash = await bcrypt.hash(randomUUID(), bcryptRounds);
  return {
    users: records.map(({ id, email, name }) => ({ id, email, name })),
    async verify(email, password) {
      const record = records.find((r) => r.email === email.toLowerCase());
      const ok = await bcrypt.compare(password, record?.hash ?? dummyHash);
      return record && ok ? { id: record.id, email: record.email, name: record.name } : null;
    },
  };
}
