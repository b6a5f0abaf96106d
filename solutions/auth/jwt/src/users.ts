import bcrypt from 'bcrypt';

/**
 * A stand-in for the passwords kata's User model, so this kata is about tokens:
 * an in-memory directory of users with bcrypt-hashed passwords.
 */
export interface PublicUser {
  id: string;
  email: string;
}

export interface UserDirectory {
  verify(email: string, password: string): Promise<PublicUser | null>;
  findById(id: string): PublicUser | null;
}

export function createUserDirectory(seed: ReadonlyArray<{ email: string; password: string }>): UserDirectory {
  const users = seed.map((user, index) => ({
    id: String(index + 1),
    email: user.email.trim().toLowerCase(),
    passwordHash: bcrypt.hashSync(user.password, 4),
  }));
  const dummy = bcrypt.hashSync('nobody', 4);
  const publicView = ({ id, email }: PublicUser): PublicUser => ({ id, email });
  return {
    async verify(email, password) {
      const user = users.find((u) => u.email === email.trim().toLowerCase());
      const ok = await bcrypt.compare(password, user?.passwordHash ?? dummy);
      return user && ok ? publicView(user) : null;
    },
    findById(id) {
      const user = users.find((u) => u.id === id);
      return user ? publicView(user) : null;
    },
  };
}
