import aws from '../../policies/catalogue/aws.json' with { type: 'json' };
import azurerm from '../../policies/catalogue/azurerm.json' with { type: 'json' };
import google from '../../policies/catalogue/google.json' with { type: 'json' };
import { buildCatalogue, type Catalogue, type CatalogueFile } from './catalogue.js';

/**
 * Every file under policies/catalogue/, bundled into the build. A test checks that each file
 * there is listed here, so a new provider file cannot be silently left out.
 */
export const CATALOGUE_FILES: Record<string, CatalogueFile> = {
  'aws.json': aws as CatalogueFile,
  'azurerm.json': azurerm as CatalogueFile,
  'google.json': google as CatalogueFile,
};

let builtin: Catalogue | undefined;

export function builtinCatalogue(): Catalogue {
  builtin ??= buildCatalogue(Object.values(CATALOGUE_FILES));
  return builtin;
}
