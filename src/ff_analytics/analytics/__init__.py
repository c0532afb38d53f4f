"""Analytics templates: dbt mart → Polars → validated computation → snapshot store → dbt analytics models."""
