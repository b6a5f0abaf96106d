/**
 * Role-based access control: roles are mapped to permissions here and nowhere
 * else. Handlers ask "may this user do X?", never "is this user an admin?".
 */
export const ROLE_NAMES = ['viewer', 'author', 'editor', 'admin'] as const;
export type Role = (typeof ROLE_NAMES)[number];

/** `resource:action`, optionally scoped: `:own` (resources the user owns) or `:any`. */
export type Permission =
  | 'article:read'
  | 'article:create'
  | 'article:update:own'
  | 'article:update:any'
  | 'article:delete:own'
  | 'article:delete:any'
  | 'user:read'
  | 'user:manage'
  | 'profile:read'
  | 'profile:update';

/** What a route declares: a permission without its scope (the handler checks ownership). */
export type Action = Permission extends infer P ? (P extends `${infer A}:${'own' | 'any'}` ? A : P) : never;

/** Each role lists what it adds to the role it inherits from. */
export const ROLES: Record<Role, { inherits?: Role; permissions: Permission[] }> = {
  viewer: { permissions: ['article:read', 'profile:read', 'profile:update'] },
  author: { inherits: 'viewer', permissions: ['article:create', 'article:update:own', 'article:delete:own'] },
  editor: { inherits: 'author', permissions: ['article:update:any'] },
  admin: { inherits: 'editor', permissions: ['article:delete:any', 'user:read', 'user:manage'] },
};

/** Every permission a role has. */
export function permissionsOf(role: Role): Set<Permission> {
  // The hierarchy: a role has its own permissions and all of its parent's, so
  // "admin can do everything an editor can" is stated once, not re-listed.
  const definition = ROLES[role];
  if (!definition) return new Set();
  const inherited = definition.inherits ? permissionsOf(definition.inherits) : new Set<Permission>();
  return new Set([...inherited, ...definition.permissions]);
}

export function can(role: Role, permission: Permission): boolean {
  return permissionsOf(role).has(permission);
}

/** Whether `role` may attempt `action` at all: unscoped, on its own resources, or on any. */
export function mayAttempt(role: Role, action: Action): boolean {
  const granted = permissionsOf(role) as Set<string>;
  return granted.has(action) || granted.has(`${action}:own`) || granted.has(`${action}:any`);
}

/** Whether `user` may do `action` on a resource owned by `ownerId`: ownership rules live here, not in handlers. */
export function mayOn(user: { id: string; role: Role }, action: Action, ownerId: string): boolean {
  const granted = permissionsOf(user.role) as Set<string>;
  return granted.has(`${action}:any`) || (granted.has(`${action}:own`) && ownerId === user.id);
}
