"""Orden «analisis enlaces» de principio a fin, contra un servidor HTTP local.

El paquete sale del plan de ejemplo (tests/fixtures/metricas/plan.txt) con sus
enlaces apuntando al servidor de la prueba: el avance 1.1.2 enlaza una página
que existe y otra que no; el 1.2.1 (medios de verificación) la misma que existe.
"""

from __future__ import annotations

import csv
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from analisis.cli import main

PLAN = Path(__file__).parents[1] / "fixtures" / "metricas" / "plan.txt"


class _Manejador(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_HEAD(self) -> None:  # noqa: N802
        self.send_response(200 if self.path == "/acta.pdf" else 404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_HEAD  # noqa: N815  (un 404 de HEAD se confirma con GET)


# Sin proxies del entorno en ningún caso de este módulo (ver conftest.py).
pytestmark = pytest.mark.usefixtures("sin_proxy")


@pytest.fixture(scope="module")
def servidor(servidor_http):
    return servidor_http(_Manejador)


@pytest.fixture(scope="module")
def paquete(servidor, tmp_path_factory):
    carpeta = tmp_path_factory.mktemp("enlaces")
    texto = PLAN.read_text(encoding="utf-8")
    texto = texto.replace("https://datos.example.org/uno", f"{servidor}/acta.pdf {servidor}/falta.pdf")
    texto = texto.replace("Descripción: Capacitación en Sololá", f"Descripción: Capacitación en Sololá {servidor}/acta.pdf")
    crudo = carpeta / "plan.txt"
    crudo.write_text(texto, encoding="utf-8")
    assert main(["parse", str(crudo), "--out", str(carpeta / "paquete")]) == 0
    return carpeta / "paquete"


def _filas(ruta: Path) -> list[dict]:
    with open(ruta, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_escribe_la_observacion(paquete, servidor, tmp_path, capsys):
    salida = tmp_path / "2025-06-30.csv"
    assert main(["enlaces", "--datos", str(paquete), "--out", str(salida), "--tiempo-max", "2"]) == 0
    filas = _filas(salida)
    # El avance 1.2.2 (Sololá) se registró antes que el 1.2.1 pero se identifica por su posición.
    assert [(f["avance_id"], f["url"], f["estado"], f["codigo_http"], f["url_final"]) for f in filas] == [
        ("1.1.2", f"{servidor}/acta.pdf", "ok", "200", f"{servidor}/acta.pdf"),
        ("1.1.2", f"{servidor}/falta.pdf", "roto", "404", f"{servidor}/falta.pdf"),
        ("1.2.2", f"{servidor}/acta.pdf", "ok", "200", f"{servidor}/acta.pdf"),
    ]
    err = capsys.readouterr().err
    assert "3 enlaces en 2 avances, 2 direcciones distintas" in err
    assert "2 ok, 0 redirigido, 1 roto, 0 sin_respuesta" in err


def test_nunca_reemplaza_una_observacion(paquete, tmp_path, capsys):
    salida = tmp_path / "2025-06-30.csv"
    salida.write_text("observación anterior\n", encoding="utf-8")
    assert main(["enlaces", "--datos", str(paquete), "--out", str(salida)]) == 2
    assert salida.read_text(encoding="utf-8") == "observación anterior\n"
    assert "ya existe" in capsys.readouterr().err


def test_en_una_carpeta_acumula_observaciones_del_dia(paquete, tmp_path):
    carpeta = tmp_path / "enlaces"
    carpeta.mkdir()
    assert main(["enlaces", "--datos", str(paquete), "--out", str(carpeta)]) == 0
    assert main(["enlaces", "--datos", str(paquete), "--out", str(carpeta)]) == 0
    nombres = sorted(p.name for p in carpeta.iterdir())
    assert len(nombres) == 2
    primero, segundo = nombres
    # La segunda del mismo día lleva la hora UTC y se ordena después: AAAA-MM-DD.csv, AAAA-MM-DDTHHMMSSZ.csv.
    assert segundo.startswith(primero.removesuffix(".csv") + "T") and segundo.endswith("Z.csv")


def test_sin_conexion_no_falla(paquete, tmp_path, monkeypatch):
    """Con todo sin respuesta (aquí, un proxy que no existe) la orden termina bien y lo registra."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        puerto = s.getsockname()[1]
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{puerto}")
    salida = tmp_path / "sin-red.csv"
    assert main(["enlaces", "--datos", str(paquete), "--out", str(salida), "--tiempo-max", "1"]) == 0
    assert {f["estado"] for f in _filas(salida)} == {"sin_respuesta"}


@pytest.mark.parametrize(
    "argumentos, mensaje",
    [
        pytest.param(["--tiempo-max", "0"], "--tiempo-max debe ser un número de segundos mayor que 0", id="tiempo-cero"),
        pytest.param(["--trabajos", "0"], "--trabajos debe ser al menos 1", id="sin-trabajos"),
    ],
)
def test_parametros_malos(paquete, tmp_path, capsys, argumentos, mensaje):
    salida = tmp_path / "x.csv"
    assert main(["enlaces", "--datos", str(paquete), "--out", str(salida), *argumentos]) == 2
    assert mensaje in capsys.readouterr().err
    assert not salida.exists()


def test_out_vacio_no_escribe_en_la_carpeta_actual(paquete, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["enlaces", "--datos", str(paquete), "--out", ""]) == 2
    assert "falta --out" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
