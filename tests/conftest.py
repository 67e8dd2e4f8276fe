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


# Carpeta de plan con observaciones de enlaces escritas a mano: el ejemplo de
# métricas con cinco enlaces más y dos comprobaciones (ver tests/fixtures/enlaces/LEEME.md).
PLAN_ENLACES = RAIZ / "tests" / "fixtures" / "enlaces" / "plan"


@pytest.fixture(scope="session")
def plan_enlaces():
    from analisis.lectura.historial import historial_de

    return tablas_desde_tablero(historial_de([PLAN_ENLACES]))


@pytest.fixture(scope="session")
def real():
    return tablas_desde_tablero(parsear_archivo(CRUDO))


# Dos capturas del plan incluido: la incluida (fecha desconocida, posterior al
# 2025-05-22 17:33:50) y una anterior, del 15 de abril de 2025, editada a mano
# para que tenga un cambio de cada clase que pide el issue 11.
import json  # noqa: E402
import shutil  # noqa: E402

PLAN_INCLUIDO = CRUDO.parent
FECHA_TEMPRANA = "2025-04-15T12:00:00-06:00"


def captura_temprana(texto: str) -> str:
    """La captura incluida como pudo verse el 15 de abril de 2025, editada a mano (líneas del original)."""
    lineas = texto.split("\n")
    assert lineas[12] == "50.00%" and lineas[36] == "FECHA DE FIN: 30/06/2025"
    lineas[12] = "40.00%"  # compromiso 1 reportaba otro porcentaje
    lineas[36] = "FECHA DE FIN: 31/05/2025"  # el hito 1.1 tenía otro plazo
    assert lineas[58].startswith("Descripción: En el marco del compromiso No.1") and lineas[59] == "Porcentaje avance: 40%"
    lineas[58] = "Descripción: Borrador del avance"  # avance del hito 1.2, 2025-03-05 02:48:55
    lineas[59] = "Porcentaje avance: 35%"
    # Hito 3.4: el avance del 2025-04-09 (líneas 274-277) aún no figuraba.
    assert lineas[273] == "Fecha: 2025-04-09 23:02:00" and lineas[277] == "COMPROMISO 4:"
    del lineas[273:277]
    # Hito 1.4: sin el avance del 2025-05-22 (líneas 106-108), posterior a esta captura, y con uno que luego se borró.
    assert lineas[105] == "Fecha: 2025-05-22 17:33:50" and lineas[108] == "COMPROMISO 2:"
    lineas[105:108] = ["Fecha: 2025-03-20 10:00:00", "Descripción: Reunión que después se borró", "Porcentaje avance: 30%"]
    return "\n".join(lineas)


@pytest.fixture
def plan_con_dos_capturas(tmp_path):
    carpeta = tmp_path / "gt-6pan-2023-2025"
    shutil.copytree(PLAN_INCLUIDO, carpeta)
    temprana = carpeta / "captura_2025-04-15.txt"
    temprana.write_text(captura_temprana(CRUDO.read_text(encoding="utf-8")), encoding="utf-8")
    ficha = {"fuente": "https://gobiernoabierto.transparencia.gob.gt", "fecha_captura": FECHA_TEMPRANA}
    (carpeta / "captura_2025-04-15.txt.procedencia.json").write_text(json.dumps(ficha), encoding="utf-8")
    return carpeta


# Servidores HTTP locales para las pruebas de la comprobación de enlaces
# (lectura y CLI): ninguna prueba sale a la red.
@pytest.fixture(scope="session")
def servidor_http():
    """Arranca un servidor HTTP en 127.0.0.1 (puerto libre, en un hilo) con el manejador dado; da su dirección.

    Los servidores se paran al terminar la sesión.
    """
    import threading
    from http.server import ThreadingHTTPServer

    abiertos = []

    def arrancar(manejador) -> str:
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), manejador)
        httpd.daemon_threads = True
        hilo = threading.Thread(target=httpd.serve_forever, daemon=True)
        hilo.start()
        abiertos.append((httpd, hilo))
        return f"http://127.0.0.1:{httpd.server_address[1]}"

    yield arrancar
    for httpd, hilo in abiertos:
        httpd.shutdown()
        httpd.server_close()
        hilo.join()


@pytest.fixture
def sin_proxy(monkeypatch):
    """Un proxy del entorno desviaría las consultas al servidor local."""
    for variable in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(variable, raising=False)


# Algunas pruebas miran un proceso recién arrancado (qué importa, qué procesos
# lanza, cómo habla con un núcleo): su código corre en un Python nuevo.
@pytest.fixture
def python_nuevo():
    """Función que corre ``codigo`` en un proceso de Python nuevo, exige que termine bien y devuelve lo impreso."""
    import subprocess
    import sys

    def correr(codigo: str) -> str:
        salida = subprocess.run([sys.executable, "-c", codigo], capture_output=True, text=True, timeout=120)
        assert salida.returncode == 0, salida.stderr[-2000:]
        return salida.stdout

    return correr


@pytest.fixture
def vivo():
    """Función que dice si el proceso ``pid`` sigue vivo (existe y no es un zombi)."""

    def esta_vivo(pid: int) -> bool:
        try:
            estado = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return False
        return estado != "Z"

    return esta_vivo
