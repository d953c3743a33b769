"""Finding tables 二/三/四 in extracted text or grids and mapping them to schema fields."""
