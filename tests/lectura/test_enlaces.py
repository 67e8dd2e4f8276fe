"""Comprobación de enlaces (analisis.lectura.enlaces) contra un servidor HTTP local.

El servidor lo arranca la prueba en un hilo (http.server) y responde según la
ruta; la conexión rechazada se prueba con un puerto que se reservó y se cerró.
"""

from __future__ import annotations

import hashlib
import socket
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pandas as pd
import pytest

from analisis import __version__
from analisis.errores import ErrorEntrada
from analisis.lectura.enlaces import (
    COLUMNAS,
    observaciones_de_plan,
    comprobar_enlaces,
    leer_observaciones,
    observaciones_csv,
    ultimas_observaciones,
    ultimas_por_avance,
    urls_de_avances,
)

ESPERA_LENTA = 2.0  # lo que tarda /lento; el tiempo máximo de las pruebas es mucho menor
TIEMPO_MAX = 0.3


class _Manejador(BaseHTTPRequestHandler):
    peticiones: list[tuple[str, str, str]] = []

    def log_message(self, *args) -> None:  # sin ruido en la salida de las pruebas
        pass

    def _responder(self, metodo: str) -> None:
        _Manejador.peticiones.append((metodo, self.path, self.headers.get("User-Agent", "")))
        ruta = self.path
        if ruta == "/lento" or (ruta == "/head-404-get-lento" and metodo == "GET"):
            time.sleep(ESPERA_LENTA)
        if ruta == "/redirige":
            self.send_response(301)
            self.send_header("Location", "/ok")
        elif ruta == "/bucle":
            self.send_response(302)
            self.send_header("Location", "/bucle")
        elif ruta in ("/no-existe", "/head-404-get-lento"):
            self.send_response(404)
        elif ruta == "/error":
            self.send_response(500)
        elif ruta == "/sin-head" and metodo == "HEAD":
            self.send_response(405)
        elif ruta == "/sin-head-501" and metodo == "HEAD":
            self.send_response(501)
        else:
            self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self) -> None:  # noqa: N802 (nombre que exige http.server)
        self._responder("HEAD")

    def do_GET(self) -> None:  # noqa: N802
        self._responder("GET")


# Sin proxies del entorno en ningún caso de este módulo (ver conftest.py).
pytestmark = pytest.mark.usefixtures("sin_proxy")


@pytest.fixture(scope="module")
def servidor(servidor_http):
    return servidor_http(_Manejador)


@pytest.fixture()
def peticiones():
    _Manejador.peticiones.clear()
    return _Manejador.peticiones


def _puerto_cerrado() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _una(url: str) -> dict:
    return comprobar_enlaces([("1.1.1", url)], tiempo_max=TIEMPO_MAX).iloc[0].to_dict()


@pytest.mark.parametrize(
    "ruta, estado, codigo, final",
    [
        pytest.param("/ok", "ok", 200, "/ok", id="200"),
        pytest.param("/redirige", "redirigido", 200, "/ok", id="redireccion-301"),
        pytest.param("/no-existe", "roto", 404, "/no-existe", id="404"),
        pytest.param("/error", "roto", 500, "/error", id="500"),
        pytest.param("/sin-head", "ok", 200, "/sin-head", id="head-405-y-get-200"),
        pytest.param("/sin-head-501", "ok", 200, "/sin-head-501", id="head-501-y-get-200"),
    ],
)
def test_clasifica_la_respuesta(servidor, ruta, estado, codigo, final):
    fila = _una(servidor + ruta)
    assert (fila["estado"], fila["codigo_http"], fila["url_final"]) == (estado, codigo, servidor + final)


def test_tiempo_agotado_es_sin_respuesta(servidor):
    inicio = time.monotonic()
    fila = _una(servidor + "/lento")
    assert (fila["estado"], fila["url_final"]) == ("sin_respuesta", "")
    assert pd.isna(fila["codigo_http"])
    # Sin reintento con GET tras agotar el tiempo: no se espera dos veces lo que tarda el servidor.
    assert time.monotonic() - inicio < ESPERA_LENTA


def test_si_get_no_responde_vale_la_respuesta_de_head(servidor):
    fila = _una(servidor + "/head-404-get-lento")
    assert (fila["estado"], fila["codigo_http"]) == ("roto", 404)


def test_conexion_rechazada_es_sin_respuesta():
    fila = _una(f"http://127.0.0.1:{_puerto_cerrado()}/ok")
    assert (fila["estado"], fila["url_final"]) == ("sin_respuesta", "")
    assert pd.isna(fila["codigo_http"])


def test_demasiadas_redirecciones_es_roto(servidor):
    fila = _una(servidor + "/bucle")
    assert fila["estado"] == "roto" and pd.isna(fila["codigo_http"])


def test_direccion_no_valida_es_rota():
    assert _una("ftp://ejemplo.invalid/archivo")["estado"] == "roto"


def test_pide_head_primero_y_get_solo_si_hace_falta(servidor, peticiones):
    comprobar_enlaces([("1.1.1", servidor + "/ok"), ("1.1.2", servidor + "/sin-head")], tiempo_max=TIEMPO_MAX, trabajos=1)
    assert sorted((m, r) for m, r, _ in peticiones) == [("GET", "/sin-head"), ("HEAD", "/ok"), ("HEAD", "/sin-head")]


def test_agente_de_usuario_nombra_analisis_y_su_version(servidor, peticiones):
    _una(servidor + "/ok")
    [(_, _, agente)] = peticiones
    assert agente.startswith(f"analisis/{__version__} (")


def test_una_direccion_repetida_se_consulta_una_vez(servidor, peticiones):
    tabla = comprobar_enlaces([("1.1.1", servidor + "/ok"), ("2.1.1", servidor + "/ok")], tiempo_max=TIEMPO_MAX)
    assert list(tabla["avance_id"]) == ["1.1.1", "2.1.1"]
    assert list(tabla["estado"]) == ["ok", "ok"]
    assert len(peticiones) == 1


def test_varias_a_la_vez_y_progreso(servidor):
    pares = [(f"1.1.{i}", f"{servidor}/ok?{i}") for i in range(1, 7)]
    avisos = []
    tabla = comprobar_enlaces(pares, tiempo_max=TIEMPO_MAX, trabajos=3, progreso=lambda h, t: avisos.append((h, t)))
    assert list(tabla["url"]) == [u for _, u in pares]
    assert avisos == [(i, 6) for i in range(1, 7)]


def test_fecha_consulta_iso_utc(servidor):
    assert pd.Series([_una(servidor + "/ok")["fecha_consulta"]]).str.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z").all()


def test_sin_enlaces_no_consulta_nada():
    tabla = comprobar_enlaces([])
    assert list(tabla.columns) == COLUMNAS and tabla.empty


def test_urls_de_avances_en_orden_numerico():
    avances = pd.DataFrame(
        {
            "avance_id": ["1.10.1", "1.2.1", "1.2.2"],
            "urls": ["https://b.example/x", "https://a.example/1 https://a.example/2 https://a.example/1", ""],
        }
    )
    assert urls_de_avances(avances) == [
        ("1.2.1", "https://a.example/1"),
        ("1.2.1", "https://a.example/2"),
        ("1.10.1", "https://b.example/x"),
    ]


# --- observaciones guardadas ---------------------------------------------------------------

CABECERA = ",".join(COLUMNAS)


def _observacion(carpeta: Path, nombre: str, *filas: str) -> Path:
    carpeta.mkdir(parents=True, exist_ok=True)
    ruta = carpeta / nombre
    ruta.write_text("\n".join([CABECERA, *filas]) + "\n", encoding="utf-8")
    return ruta


def test_csv_de_observaciones_ida_y_vuelta(tmp_path):
    tabla = pd.DataFrame(
        [
            {"avance_id": "1.1.1", "url": "https://a.example/x?a=1,2", "estado": "roto", "codigo_http": 404,
             "url_final": "https://a.example/x?a=1,2", "fecha_consulta": "2025-06-30T10:00:00Z"},
            {"avance_id": "1.1.2", "url": "https://b.example/", "estado": "sin_respuesta", "codigo_http": None,
             "url_final": "", "fecha_consulta": "2025-06-30T10:00:01Z"},
        ]
    ).astype({"codigo_http": "Int64"})
    ruta = tmp_path / "2025-06-30.csv"
    ruta.write_bytes(observaciones_csv(tabla))
    assert ruta.read_text(encoding="utf-8").splitlines() == [
        CABECERA,
        '1.1.1,"https://a.example/x?a=1,2",roto,404,"https://a.example/x?a=1,2",2025-06-30T10:00:00Z',
        "1.1.2,https://b.example/,sin_respuesta,,,2025-06-30T10:00:01Z",
    ]
    assert leer_observaciones(ruta).drop(columns="archivo").equals(tabla)


def test_ultima_observacion_de_cada_enlace(tmp_path):
    carpeta = tmp_path / "enlaces"
    _observacion(
        carpeta, "2025-06-30.csv",
        "3.1.1,https://a.example/,ok,200,https://a.example/,2025-06-30T10:00:00Z",
        "3.1.1,https://b.example/,ok,200,https://b.example/,2025-06-30T10:00:00Z",
        "1.2.1,https://c.example/,sin_respuesta,,,2025-06-30T10:00:00Z",
    )
    _observacion(
        carpeta, "2025-09-30.csv",
        "3.1.1,https://a.example/,roto,404,https://a.example/,2025-09-30T08:00:00Z",
    )
    ultimas = ultimas_observaciones(carpeta)
    assert list(zip(ultimas["avance_id"], ultimas["url"], ultimas["estado"], ultimas["archivo"])) == [
        ("1.2.1", "https://c.example/", "sin_respuesta", "2025-06-30.csv"),
        ("3.1.1", "https://a.example/", "roto", "2025-09-30.csv"),
        ("3.1.1", "https://b.example/", "ok", "2025-06-30.csv"),
    ]
    por_avance = ultimas_por_avance(carpeta)
    assert sorted(por_avance) == ["1.2.1", "3.1.1"]
    assert por_avance["3.1.1"][0] == {
        "url": "https://a.example/", "estado": "roto", "codigo_http": 404, "url_final": "https://a.example/",
        "fecha_consulta": "2025-09-30T08:00:00Z", "archivo": "2025-09-30.csv",
    }
    assert por_avance["1.2.1"][0]["codigo_http"] is None


def test_sin_carpeta_no_hay_observaciones(tmp_path):
    assert ultimas_observaciones(tmp_path / "no-existe").empty
    assert ultimas_por_avance(tmp_path / "no-existe") == {}


@pytest.mark.parametrize(
    "fila, mensaje",
    [
        pytest.param("1.1.1,https://a.example/,caido,,,2025-06-30T10:00:00Z",
                     "2025-06-30.csv:2: columna «estado»: valor no admitido (admitidos: ok, redirigido, roto, sin_respuesta): «caido»",
                     id="estado-desconocido"),
        pytest.param("1.1.1,https://a.example/,roto,4040,,2025-06-30T10:00:00Z",
                     "2025-06-30.csv:2: columna «codigo_http»: no es un código HTTP: «4040»", id="codigo-no-http"),
        pytest.param("1.1.1,https://a.example/,ok,200,,30/06/2025",
                     "2025-06-30.csv:2: columna «fecha_consulta»: se espera AAAA-MM-DDTHH:MM:SSZ: «30/06/2025»", id="fecha-mal"),
        pytest.param("1.1.1,https://a.example/,ok,200,,2025-02-30T10:00:00Z",
                     "2025-06-30.csv:2: columna «fecha_consulta»: se espera AAAA-MM-DDTHH:MM:SSZ: «2025-02-30T10:00:00Z»",
                     id="fecha-inexistente"),
        pytest.param(",https://a.example/,ok,200,,2025-06-30T10:00:00Z",
                     "2025-06-30.csv:2: columnas «avance_id» y «url»: no pueden estar vacías: «,https://a.example/,ok,200,,2025-06-30T10:00:00Z»",
                     id="sin-avance"),
    ],
)
def test_observacion_mala_nombra_linea_y_columna(tmp_path, fila, mensaje):
    ruta = _observacion(tmp_path, "2025-06-30.csv", fila)
    with pytest.raises(ErrorEntrada) as error:
        leer_observaciones(ruta)
    assert str(error.value) == f"{tmp_path}/{mensaje}"


# --- observaciones de una carpeta de plan (lo que «analisis parse» copia al paquete) --------------

PLAN_ENLACES = Path(__file__).parents[1] / "fixtures" / "enlaces" / "plan"


def test_observaciones_de_plan_todas_ordenadas_y_con_su_huella():
    filas, archivos = observaciones_de_plan(PLAN_ENLACES)
    # Todas las filas de los dos archivos (4 + 5), no solo la última de cada enlace; «Z» quitada.
    assert [(f["avance_id"], f["estado"], f["fecha_consulta"], f["archivo"]) for f in filas] == [
        ("1.1.1", "ok", "2025-03-20T15:00:00", "2025-03-20.csv"),
        ("1.1.1", "redirigido", "2025-04-10T09:30:00", "2025-04-10.csv"),
        ("1.1.2", "roto", "2025-03-20T15:00:01", "2025-03-20.csv"),
        ("1.1.2", "ok", "2025-04-10T09:30:00", "2025-04-10.csv"),
        ("1.1.3", "ok", "2025-04-10T09:30:01", "2025-04-10.csv"),
        ("1.2.1", "sin_respuesta", "2025-03-20T15:00:10", "2025-03-20.csv"),
        ("1.2.1", "sin_respuesta", "2025-04-10T09:30:10", "2025-04-10.csv"),
        ("1.2.3", "roto", "2025-04-10T09:30:02", "2025-04-10.csv"),
        ("1.2.9", "ok", "2025-03-20T15:00:02", "2025-03-20.csv"),
    ]
    carpeta = PLAN_ENLACES / "enlaces"
    assert archivos == [
        {"path": f"enlaces/{n}", "sha256": hashlib.sha256((carpeta / n).read_bytes()).hexdigest()}
        for n in ("2025-03-20.csv", "2025-04-10.csv")
    ]


def test_plan_sin_carpeta_de_enlaces_no_tiene_observaciones(tmp_path):
    assert observaciones_de_plan(tmp_path) == ([], [])


def test_solo_cuentan_los_csv_de_la_carpeta(tmp_path):
    _observacion(tmp_path / "enlaces", "2025-06-30.csv", "1.1.1,https://a.example/,ok,200,https://a.example/,2025-06-30T10:00:00Z")
    (tmp_path / "enlaces" / "notas.txt").write_text("no es una observación\n", encoding="utf-8")
    (tmp_path / "enlaces" / ".2025-07-01.csv").write_text("a medio escribir", encoding="utf-8")
    filas, archivos = observaciones_de_plan(tmp_path)
    assert [f["archivo"] for f in filas] == ["2025-06-30.csv"]
    assert [a["path"] for a in archivos] == ["enlaces/2025-06-30.csv"]
