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

/** Each role lists what it adds to the role it inherits from. */
export const ROLES: Record<Role, { inherits?: Role; permissions: Permission[] }> = {
  viewer: { permissions: ['article:read', 'profile:read', 'profile:update'] },
  author: { inherits: 'viewer', permissions: ['article:create', 'article:update:own', 'article:delete:own'] },
  editor: { inherits: 'author', permissions: ['article:update:any'] },
  admin: { inherits: 'editor', permissions: ['article:delete:any', 'user:read', 'user:manage'] },
};

/** Every permission a role has. */
export function permissionsOf(role: Role): Set<Permission> {
  // TODO: the hierarchy is ignored: an admin has only the three permissions listed on its own line.
  return new Set(ROLES[role]?.permissions ?? []);
}

export function can(role: Role, permission: Permission): boolean {
  return permissionsOf(role).has(permission);
}
