// The English-only entry point: the full one loads every locale.
import type { Faker } from '@faker-js/faker';
import { faker } from '@faker-js/faker/locale/en';
import { readConfig } from '../config';

/**
 * Faker-based builders. Every builder takes overrides, and the override is
 * what a test is about: `buildUser({ role: 'admin' })` says "an admin", the
 * rest is plausible noise.
 *
 * The generator is seeded (`KATA_SEED`) once per spec file (Jest gives each
 * file its own module registry), so a failing run repeats exactly; call
 * `reseedFactories()` in a `beforeEach` when a test needs order independence.
 */
// Seeded when a builder first runs, not when the harness loads: faker's English data is
// 1.6 MB of JavaScript, and most spec files import the harness without building anything.
let seeded = false;
function generator(): Faker {
  if (!seeded) {
    faker.seed(readConfig().seed);
    seeded = true;
  }
  return faker;
}

/** Re-seeds the shared generator (defaults to `KATA_SEED`). */
export function reseedFactories(seed = readConfig().seed): void {
  faker.seed(seed);
  seeded = true;
}

/**
 * Makes a builder from a function of the generator and a running sequence
 * number (for values that must be unique within a file, like e-mails).
 *
 * @example
 *   const buildOrder = defineFactory((f, n) => ({ id: n, total: f.number.int({ min: 1, max: 500 }) }));
 *   buildOrder({ total: 0 }); // the edge case under test
 */
export function defineFactory<T extends object>(build: (generator: Faker, sequence: number) => T) {
  let sequence = 0;
  return (overrides: Partial<T> = {}): T => ({ ...build(generator(), ++sequence), ...overrides });
}

export interface UserInput {
  name: string;
  email: string;
  password: string;
  role: 'user' | 'editor' | 'admin';
}

/** A user as a client would send it to a sign-up route. */
export const buildUser = defineFactory<UserInput>((f, n) => {
  const firstName = f.person.firstName();
  const lastName = f.person.lastName();
  return {
    name: `${firstName} ${lastName}`,
    // The sequence keeps e-mails unique even when faker repeats a name.
    email: f.internet.email({ firstName, lastName: `${lastName}${n}` }).toLowerCase(),
    password: f.internet.password({ length: 16 }),
    role: 'user',
  };
});

export interface ProductInput {
  name: string;
  sku: string;
  price: number;
  stock: number;
  tags: string[];
}

/** A catalogue product, as the caching katas serve them. */
export const buildProduct = defineFactory<ProductInput>((f, n) => ({
  name: f.commerce.productName(),
  sku: `SKU-${String(n).padStart(5, '0')}-${f.string.alphanumeric({ length: 4, casing: 'upper' })}`,
  price: Number(f.commerce.price({ min: 1, max: 500 })),
  stock: f.number.int({ min: 0, max: 1000 }),
  tags: f.helpers.arrayElements(['new', 'sale', 'eco', 'gift', 'outdoor', 'kids'], { min: 0, max: 3 }),
}));

/** A chat message, as the realtime katas send them. */
export const buildMessage = defineFactory<{ room: string; text: string }>((f) => ({
  room: f.helpers.arrayElement(['general', 'random', 'support']),
  text: f.lorem.sentence(),
}));

/** The builders as one object, for `import { factories } from '../harness'`. */
export const factories = {
  buildUser,
  buildProduct,
  buildMessage,
  defineFactory,
  reseed: reseedFactories,
  /** The seeded generator itself, for values no builder makes. */
  get faker(): Faker {
    return generator();
  },
};
