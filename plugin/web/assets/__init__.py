"""Icons and images of the add-in (a package so they ship in the wheel)."""
