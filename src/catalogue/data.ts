import aws from '../../policies/catalogue/aws.json' with { type: 'json' };
import azurerm from '../../policies/catalogue/azurerm.json' with { type: 'json' };
import cloudflare from '../../policies/catalogue/cloudflare.json' with { type: 'json' };
import datadog from '../../policies/catalogue/datadog.json' with { type: 'json' };
import github from '../../policies/catalogue/github.json' with { type: 'json' };
import google from '../../policies/catalogue/google.json' with { type: 'json' };
import helm from '../../policies/catalogue/helm.json' with { type: 'json' };
import kubernetes from '../../policies/catalogue/kubernetes.json' with { type: 'json' };
import mongodbatlas from '../../policies/catalogue/mongodbatlas.json' with { type: 'json' };
import postgresql from '../../policies/catalogue/postgresql.json' with { type: 'json' };
import randomTls from '../../policies/catalogue/random-tls.json' with { type: 'json' };
import snowflake from '../../policies/catalogue/snowflake.json' with { type: 'json' };
import vault from '../../policies/catalogue/vault.json' with { type: 'json' };
import { buildCatalogue, type Catalogue, type CatalogueFile } from './catalogue.js';

/**
 * Every file under policies/catalogue/, bundled into the build. A test checks that each file
 * there is listed here, so a new provider file cannot be silently left out.
 */
export const CATALOGUE_FILES: Record<string, CatalogueFile> = {
  'aws.json': aws as CatalogueFile,
  'azurerm.json': azurerm as CatalogueFile,
  'cloudflare.json': cloudflare as CatalogueFile,
  'datadog.json': datadog as CatalogueFile,
  'github.json': github as CatalogueFile,
  'google.json': google as CatalogueFile,
  'helm.json': helm as CatalogueFile,
  'kubernetes.json': kubernetes as CatalogueFile,
  'mongodbatlas.json': mongodbatlas as CatalogueFile,
  'postgresql.json': postgresql as CatalogueFile,
  'random-tls.json': randomTls as CatalogueFile,
  'snowflake.json': snowflake as CatalogueFile,
  'vault.json': vault as CatalogueFile,
};

let builtin: Catalogue | undefined;

export function builtinCatalogue(): Catalogue {
  builtin ??= buildCatalogue(Object.values(CATALOGUE_FILES));
  return builtin;
}
