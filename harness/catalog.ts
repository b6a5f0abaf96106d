import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from './config';

/** One kata as `katas/catalog.json` describes it; order in the file is the learning order. */
export interface CatalogKata {
  id: string;
  title: string;
  goals: string[];
  hints: string[];
}

export interface CatalogPhase {
  id: string;
  title: string;
  summary: string;
  katas: CatalogKata[];
}

export interface Catalog {
  phases: CatalogPhase[];
}

export const catalogFile = path.join(projectRoot, 'katas', 'catalog.json');

export function readCatalog(file = catalogFile): Catalog {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Catalog;
}

/** Every kata id (`errors/async-errors`, …) in learning order. */
export function kataIds(catalog: Catalog = readCatalog()): string[] {
  return catalog.phases.flatMap((phase) => phase.katas.map((kata) => kata.id));
}
