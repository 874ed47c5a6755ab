"""Built-in criteria catalogs (TOML data files) and the loader that turns them into domain objects.

Public API: `list_catalogs`, `load_catalog`, `save_catalog`, `validate_criteria`, the `Catalog`
and `CatalogInfo` dataclasses and `CatalogError`. Imports nothing from Qt, `ui` or `reports`.
"""

from criteria.convert import catalog_from_dict, catalog_to_dict, validate_catalog
from criteria.loader import (
    BUILT_IN_DIR,
    list_catalogs,
    load_catalog,
    read_catalog_file,
    save_catalog,
    save_evaluation_criteria,
    user_catalog_dir,
)
from criteria.model import Catalog, CatalogError, CatalogInfo, CatalogListing, CatalogProblem
from criteria.schema import is_scorable, validate_criteria

__all__ = [
    "BUILT_IN_DIR",
    "Catalog",
    "CatalogError",
    "CatalogInfo",
    "CatalogListing",
    "CatalogProblem",
    "catalog_from_dict",
    "catalog_to_dict",
    "is_scorable",
    "list_catalogs",
    "load_catalog",
    "read_catalog_file",
    "save_catalog",
    "save_evaluation_criteria",
    "user_catalog_dir",
    "validate_catalog",
    "validate_criteria",
]
