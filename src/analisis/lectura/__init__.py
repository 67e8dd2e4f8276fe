"""Lectura: capturas crudas del tablero → tablas validadas → paquete de datos."""
