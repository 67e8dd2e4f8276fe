"""El atajo de bloques del analizador da exactamente lo mismo que el camino línea a línea.

El analizador reconoce de una vez, con una expresión regular, los hitos y avances
escritos como los escribe el tablero (ver ``_Analizador.bloques``); todo lo
demás va línea a línea. Aquí se analizan los mismos textos con el atajo y sin él
(``_Analizador(archivo, atajo=False)``) y se exige el mismo resultado: registros
(con el orden de sus claves), ``origen`` de cada línea y, si hay error, el mismo
mensaje con la misma línea. Los textos son el tablero real, las fixtures, las
formas de ``benchmarks/bench_formas.py``, sus variantes CRLF/CR/BOM/Windows-1252
y documentos mutados al azar (hypothesis) a partir de ellos.
"""

from __future__ import annotations

import gc
import sys
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analisis.errores import AvisoCodificacion, ErrorEntrada
from analisis.lectura import tablero as modulo
from analisis.lectura.paquete import escribir_paquete

RAIZ = Path(__file__).parents[2]
REAL = RAIZ / "data" / "raw" / "gt-6pan-2023-2025" / "tableropan_gt_6pan_2023-2025.txt"
FIXTURES = sorted((RAIZ / "tests" / "fixtures" / "tablero").glob("*.txt"))

sys.path.insert(0, str(RAIZ / "benchmarks"))
from bench_formas import FORMAS  # noqa: E402  (script de benchmarks/, no un paquete)
# Los generadores de las pruebas de propiedades del analizador (módulo hermano).
from test_tablero_propiedades import ETIQUETAS, _renderizar, tablero  # noqa: E402


def _analizar(texto: str, atajo: bool):
    """Todo lo que el análisis deja a la vista: registros con sus claves en orden, origen, o el error."""
    gc.disable()  # como parsear_texto
    try:
        t = modulo._Analizador("doc.txt", atajo=atajo).analizar(texto, "", "utf-8")
    except ErrorEntrada as exc:
        return ("error", str(exc), exc.linea)
    finally:
        gc.enable()
    tablas = [t.tablero, t.compromisos, t.hitos, t.avances, t.actores]
    return ("ok", [[list(r.items()) for r in filas] for filas in tablas], t.origen_lineas)


def _con(texto: str, atajo: bool, espera_max: int | None = None, trozo: int | None = None):
    """_analizar con otros valores de _ESPERA_MAX y _TROZO."""
    antes = modulo._ESPERA_MAX, modulo._TROZO
    if espera_max is not None:
        modulo._ESPERA_MAX = espera_max
    if trozo is not None:
        modulo._TROZO = trozo
    try:
        return _analizar(texto, atajo)
    finally:
        modulo._ESPERA_MAX, modulo._TROZO = antes


# Variantes que deben dar lo mismo que la referencia: el camino línea a línea con
# el texto partido de una vez. Tras un intento fallido el atajo se salta algunas
# ocasiones (_ESPERA_MAX): con 0 cada bloque posible pasa por el atajo. Con tramos
# (_TROZO) de una o pocas líneas, cada atajo termina fuera de su tramo.
VARIANTES = [
    {"atajo": True},
    {"atajo": True, "espera_max": 0},
    {"atajo": False, "trozo": 1},
    {"atajo": True, "espera_max": 0, "trozo": 1},
    {"atajo": True, "espera_max": 0, "trozo": 37},
]


def _iguales(texto: str) -> tuple:
    referencia = _con(texto, False, trozo=len(texto) + 1)
    for variante in VARIANTES:
        assert _con(texto, **variante) == referencia, variante
    return referencia


# Bloques de la forma del tablero, con y sin los campos opcionales, para sembrar las mutaciones.
BLOQUES = (
    "COMPROMISO 1:\nTítulo\nINSTITUCIÓN RESPONSABLE:\nMinisterio\nAVANCES\n"
    "Fecha: 2025-03-05 02:48:19\nDescripción: a\nPorcentaje avance: 12%\n"
    "INSTITUCIÓN RESPONSABLE:\nX\nFECHA DE INICIO: 06/02/2025\nFECHA DE FIN: Junio 2025\n"
    "DESCRIPCIÓN:\nHito dos\nRESULTADOS ESPERADOS:\nInforme\nAVANCES\n"
    "Fecha: 2025-03-05 02:48:33\nDescripción: b https://a.gt/x\nPorcentaje avance: 41,7%\nMedios de verificación:\n"
    "Fecha: 2025-03-06 10:00:00\nDescripción: c\nPorcentaje avance: 50.00%\nMedios de verificación: https://b.gt\n"
    "INSTITUCIÓN RESPONSABLE:\nY\nFECHA DE FIN: 2025\nAVANCES\n"
    "INSTITUCIÓN RESPONSABLE:\nZ\nDESCRIPCIÓN:\nd\nAVANCES\nFecha: 2025-12-31 23:59:59\nDescripción: e\n"
    "Porcentaje avance: 100%\n"
)


def _recortar(texto: str) -> str:
    """El texto con cada línea recortada a 60 caracteres (sin blancos al final).

    El atajo solo se prueba en bloques de líneas cortas (ver _LARGO_MAX_ATAJO); el
    tablero real, con sus descripciones largas, casi no lo usa. Recortado, conserva
    sus etiquetas, su orden y sus valores cortos, y lo usa en casi todos sus avances.
    """
    return "\n".join(linea[:60].rstrip() for linea in texto.split("\n"))


REAL_CORTO = _recortar(REAL.read_text(encoding="utf-8"))


def _semillas() -> list[str]:
    textos = [REAL.read_text(encoding="utf-8"), REAL_CORTO, BLOQUES]
    textos += [f.read_text(encoding="utf-8") for f in FIXTURES]
    textos += [hacer(20_000).decode("utf-8") for hacer in FORMAS.values()]
    return textos


SEMILLAS = _semillas()


@pytest.mark.parametrize("texto", SEMILLAS, ids=["real", "real_corto", "bloques", *(f.stem for f in FIXTURES), *FORMAS])
@pytest.mark.parametrize("salto", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_semillas_dan_lo_mismo_con_y_sin_atajo(texto, salto):
    _iguales(texto.replace("\n", salto))


def test_el_atajo_se_usa(monkeypatch):
    # Si las expresiones del atajo dejaran de encajar, las pruebas de igualdad no
    # probarían nada: se cuentan las líneas que resuelve.
    lineas = []
    original = modulo._Analizador.bloques

    def contar(self, pos, linea):
        r = original(self, pos, linea)
        lineas.append(0 if r is None else r[1] - linea)
        return r

    monkeypatch.setattr(modulo._Analizador, "bloques", contar)
    diminutos = FORMAS["registros_diminutos"](20_000).decode("utf-8")
    _analizar(diminutos, True)
    assert sum(lineas) == diminutos.count("\n") - 2  # todo salvo «COMPROMISO 1:» y su título
    lineas.clear()
    _analizar(REAL_CORTO, True)
    assert sum(lineas) > REAL_CORTO.count("\n") / 2


@pytest.mark.parametrize("forma", ["real", "real_corto", "registros_diminutos", "bloques"])
def test_paquete_identico_con_y_sin_atajo(forma, tmp_path, monkeypatch):
    texto = {"real": SEMILLAS[0], "real_corto": REAL_CORTO, "bloques": BLOQUES}.get(forma) or FORMAS[forma](50_000).decode("utf-8")
    salidas = []
    for atajo in (True, False):
        monkeypatch.setattr(modulo._Analizador.__init__, "__defaults__", (atajo,))
        destino = tmp_path / str(atajo)
        escribir_paquete(modulo.parsear_texto(texto, "doc.txt"), destino)
        salidas.append({p.name: p.read_bytes() for p in sorted(destino.iterdir())})
    assert salidas[0] == salidas[1]


def test_bom_y_windows_1252_dan_lo_mismo_con_y_sin_atajo():
    for datos in (b"\xef\xbb\xbf" + BLOQUES.encode("utf-8"), BLOQUES.encode("cp1252")):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", AvisoCodificacion)
            texto, _ = modulo.decodificar(datos, "doc.txt")
        _iguales(texto)


# Cambios de una línea que tocan lo que el atajo decide: blancos, grafías de las
# etiquetas, valores mal formados o fuera de rango, líneas que parecen etiquetas,
# líneas vacías, campos repetidos o fuera de lugar.
REEMPLAZOS = [
    "", " ", "AVANCES", "avances", "OSC", "GOBIERNO:", "Fecha:", "Fecha: 2025-02-30 10:00:00",
    "Fecha: 1999-01-01 10:00:00", "Fecha: 2025-01-01 24:00:00", "Fecha: 2025-01-01", "Fecha:  2025-03-05 02:48:19",
    "Fecha: 2025-03-05 02:48:19 ", "Descripción:", "Descripción: Fecha: x", "DESCRIPCIÓN:", "DESCRIPCION:",
    "Descripcion: a", "Porcentaje avance: 101%", "Porcentaje avance: 7", "Porcentaje avance: ０%",
    "Porcentaje avance: 072%", "Porcentaje de avance: 5%", "Medios de verificación:", "Medios de verificación: x",
    "Medios de verificacion:", "INSTITUCIÓN RESPONSABLE:", "INSTITUCIÓN RESPONSABLE: X", "Institución responsable:",
    "FECHA DE INICIO: 31/02/2025", "FECHA DE INICIO: 0000", "FECHA DE FIN: Junio 2025", "FECHA DE FIN:",
    "RESULTADOS ESPERADOS:", "COMPROMISO 2:", "COMPROMISO 1:", "PORCENTAJE DE AVANCE:", "50.00%", "texto libre",
    "Texto: con dos puntos", "\u00a0X", "X\u00a0", "\tAVANCES", "Ministerio ; Otro",
]


# Semillas de las mutaciones: el tablero real, los bloques y dos formas pequeñas.
MUTABLES = [SEMILLAS[0], REAL_CORTO, BLOQUES, FORMAS["normal"](8_000).decode("utf-8"), FORMAS["registros_diminutos"](3_000).decode("utf-8")]


@st.composite
def mutado(draw):
    lineas = draw(st.sampled_from(MUTABLES)).split("\n")
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lineas) - 1))
        cambio = draw(st.sampled_from(["reemplazar", "insertar", "borrar", "duplicar", "cambiar"]))
        if cambio == "reemplazar":
            lineas[i] = draw(st.sampled_from(REEMPLAZOS))
        elif cambio == "insertar":
            lineas.insert(i, draw(st.sampled_from(REEMPLAZOS)))
        elif cambio == "borrar":
            del lineas[i]
        elif cambio == "duplicar":
            lineas.insert(i, lineas[i])
        else:
            lineas[i] = draw(st.text(alphabet=" :%0123456789-aéÓ\t\u00a0", max_size=6)) + lineas[i][draw(st.integers(0, 3)) :]
    return "\n".join(lineas)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutado())
def test_documentos_mutados_dan_lo_mismo_con_y_sin_atajo(texto):
    _iguales(texto)


# Los mismos generadores que las pruebas de propiedades del analizador: tableros
# válidos en la forma del tablero (casi todo pasa por el atajo) y mezclas de
# etiquetas y texto al azar (casi todo es un error).
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tablero())
def test_tableros_generados_dan_lo_mismo_con_y_sin_atajo(compromisos):
    _iguales(_renderizar(compromisos))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(ETIQUETAS), st.text(max_size=30)), max_size=40))
def test_mezclas_de_etiquetas_dan_lo_mismo_con_y_sin_atajo(lineas):
    _iguales("\n".join(lineas))


# Tramos de pares (un hito sin campos opcionales y su primer avance, de una línea
# de descripción), que el atajo lee por columnas (ver _Analizador.pares) después
# de los primeros pares seguidos, en tramos de 16, 64... pares: un cambio en un
# par antes, dentro y después del borde de cada tramo debe dar lo mismo que línea
# a línea.
PRIMERO = modulo._PARES_ANTES_DE_COLUMNAS  # el primer par que se lee por columnas
BORDES = [PRIMERO, PRIMERO + modulo._PARES_POR_TRAMO_MIN, PRIMERO + 5 * modulo._PARES_POR_TRAMO_MIN]
PARES = BORDES[-1] + 10
EN_LOS_BORDES = sorted({0, PARES - 1, 50, *BORDES, *(b - 1 for b in BORDES), *(b + 1 for b in BORDES)})


def _pares(n: int) -> list[str]:
    lineas = ["COMPROMISO 1:", "Título"]
    for i in range(n):
        lineas += [
            "INSTITUCIÓN RESPONSABLE:", f"Institución {i % 3}", "AVANCES",
            f"Fecha: 2025-03-{1 + i % 28:02d} 10:00:{i % 60:02d}", f"Descripción: paso {i}", f"Porcentaje avance: {i % 101}%",
        ]
    return lineas


# (línea del par que cambia: 1 institución, 3 fecha, 4 descripción, 5 porcentaje; texto nuevo)
CAMBIOS_EN_UN_PAR = {
    "institucion_osc": (1, "OSC"),
    "institucion_avances": (1, "AVANCES"),
    "institucion_etiqueta": (1, "DESCRIPCIÓN: x"),
    "institucion_como_porcentaje": (1, "7"),
    "dia_invalido": (3, "Fecha: 2025-02-30 10:00:00"),
    "anio_fuera_de_rango": (3, "Fecha: 1999-01-01 10:00:00"),
    "porcentaje_mayor_que_100": (5, "Porcentaje avance: 101%"),
    "porcentaje_sin_signo": (5, "Porcentaje avance: 7"),
    "descripcion_con_enlace": (4, "Descripción: ver https://datos.gob.gt/a."),
    "descripcion_de_dos_lineas": (4, "Descripción: a\nsigue"),
    "porcentaje_con_medios": (5, "Porcentaje avance: 5%\nMedios de verificación: acta https://a.gt"),
}


@pytest.mark.parametrize("par", EN_LOS_BORDES, ids=lambda n: f"par{n}")
@pytest.mark.parametrize("cambio", CAMBIOS_EN_UN_PAR.values(), ids=CAMBIOS_EN_UN_PAR.keys())
def test_cambio_en_un_tramo_de_pares_da_lo_mismo_con_y_sin_atajo(cambio, par):
    lineas = _pares(PARES)
    desplazamiento, texto = cambio
    lineas[2 + 6 * par + desplazamiento] = texto
    _iguales("\n".join(lineas) + "\n")


def test_dos_cambios_en_un_tramo_de_pares_dan_lo_mismo_con_y_sin_atajo():
    # Un valor inválido en un par y el mismo texto, válido en otra columna, en un par anterior
    # del mismo tramo de columnas (el segundo: del par BORDES[1] al BORDES[2] - 1).
    lineas = _pares(PARES)
    lineas[2 + 6 * (BORDES[1] + 3) + 1] = "7"  # institución «7»: vale
    lineas[2 + 6 * (BORDES[1] + 8) + 5] = "Porcentaje avance: 7"  # porcentaje «7»: no vale
    _iguales("\n".join(lineas) + "\n")


# Un par seguido de algo que no es otro par: el tramo termina y sigue bloques.
INSERCIONES_TRAS_UN_PAR = {
    "medios_con_texto": "Medios de verificación: acta",
    "medios_vacio": "Medios de verificación:",
    "segundo_avance": "Fecha: 2025-04-01 09:00:00\nDescripción: otro\nPorcentaje avance: 5%",
    "texto_suelto": "continúa",
    "compromiso_nuevo": "COMPROMISO 2:\nOtro título",
}


@pytest.mark.parametrize("par", [0, PRIMERO, BORDES[1] - 1, BORDES[1], PARES - 1], ids=lambda n: f"par{n}")
@pytest.mark.parametrize("insercion", INSERCIONES_TRAS_UN_PAR.values(), ids=INSERCIONES_TRAS_UN_PAR.keys())
def test_tramo_de_pares_interrumpido_da_lo_mismo_con_y_sin_atajo(insercion, par):
    lineas = _pares(PARES)
    lineas.insert(2 + 6 * par + 6, insercion)
    _iguales("\n".join(lineas) + "\n")


def test_los_pares_se_leen_por_columnas(monkeypatch):
    # Si _RE_PAR dejara de encajar, las pruebas de los tramos de pares no probarían nada.
    lineas = []
    original = modulo._Analizador.pares

    def contar(self, pos, linea, compromiso, n_hito):
        r = original(self, pos, linea, compromiso, n_hito)
        lineas.append(0 if r is None else r[1] - linea)
        return r

    monkeypatch.setattr(modulo._Analizador, "pares", contar)
    _analizar("\n".join(_pares(PARES)) + "\n", True)
    assert sum(lineas) == 6 * (PARES - PRIMERO)  # los primeros pares se leen uno a uno
