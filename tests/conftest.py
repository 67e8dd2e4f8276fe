"""Configuración común de pytest.

La batería se ejecuta con ``--nbval`` (ver ``[tool.pytest.ini_options]`` en
pyproject.toml), que convierte en prueba todo cuaderno que pytest recorra.
Los únicos cuadernos que deben reejecutarse y compararse son los informes de
referencia de ``reports/``.

No hay saneadores de nbval (``--nbval-sanitize-with``) ni tipos de salida
excluidos de la comparación más allá de los que nbval excluye por omisión:
los cuadernos se generan sin nada que varíe entre máquinas ni entre
ejecuciones (ver docs/reproducibilidad.md), y un saneador de más escondería
justo las diferencias que la comparación estricta debe detectar.
"""

# tests/fixtures/ guarda entradas de ejemplo, no pruebas: entre ellas hay
# cuadernos (p. ej. hostil.ipynb, con texto malicioso a propósito) que nbval
# intentaría ejecutar y comparar como si fueran informes publicados.
collect_ignore = ["fixtures"]
