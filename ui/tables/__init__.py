"""Plain table models over rows with columns and an edit function, and their delegates."""
