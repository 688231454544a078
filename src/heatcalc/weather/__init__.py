"""Weather: the embedded TMY3 stations, location lookup and readers for user weather files."""
