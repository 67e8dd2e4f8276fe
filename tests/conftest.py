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
from pathlib import Path

collect_ignore = ["fixtures"]


# Tablas compartidas por las pruebas de métricas, alertas y participación: el
# ejemplo escrito a mano (tests/fixtures/metricas/plan.txt, con sus valores
# esperados calculados a mano en cada prueba) y el tablero real de data/raw/.
import pytest  # noqa: E402

from analisis.lectura.paquete import tablas_desde_tablero
from analisis.lectura.tablero import parsear_archivo  # noqa: E402

RAIZ = Path(__file__).parents[1]
PLAN = RAIZ / "tests" / "fixtures" / "metricas" / "plan.txt"
CRUDO = RAIZ / "data" / "raw" / "gt-6pan-2023-2025" / "tableropan_gt_6pan_2023-2025.txt"


@pytest.fixture(scope="session")
def plan():
    return tablas_desde_tablero(parsear_archivo(PLAN))


@pytest.fixture(scope="session")
def real():
    return tablas_desde_tablero(parsear_archivo(CRUDO))
