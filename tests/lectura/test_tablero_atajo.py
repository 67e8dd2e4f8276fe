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


# Tramos que el atajo lee por columnas después de unos bloques seguidos de la
# misma forma, en tramos de 16, 64... filas: pares (un hito sin campos opcionales
# y su primer avance, de una línea de descripción; ver _Analizador.pares) y
# avances de una línea de un mismo hito (ver _Analizador.avances_seguidos). Un
# cambio en una fila antes, dentro y después del borde de cada tramo debe dar lo
# mismo que línea a línea.
FILAS = modulo._SEGUIDOS_ANTES_DE_COLUMNAS + 1 + 5 * modulo._FILAS_POR_TRAMO_MIN + 10


def _bordes(primera: int) -> list[int]:
    """Las filas donde empieza la lectura por columnas y cada uno de sus tramos, si la primera es ``primera``."""
    return [primera, primera + modulo._FILAS_POR_TRAMO_MIN, primera + 5 * modulo._FILAS_POR_TRAMO_MIN]


def _en_los_bordes(primera: int) -> list[int]:
    bordes = _bordes(primera)
    return sorted({0, FILAS - 1, 50, *bordes, *(b - 1 for b in bordes), *(b + 1 for b in bordes)})


def _avance(i: int) -> list[str]:
    return [f"Fecha: 2025-03-{1 + i % 28:02d} 10:00:{i % 60:02d}", f"Descripción: paso {i}", f"Porcentaje avance: {i % 101}%"]


def _pares(n: int) -> list[str]:
    lineas = ["COMPROMISO 1:", "Título"]
    for i in range(n):
        lineas += ["INSTITUCIÓN RESPONSABLE:", f"Institución {i % 3}", "AVANCES", *_avance(i)]
    return lineas


def _avances(n: int) -> list[str]:
    lineas = ["COMPROMISO 1:", "Título", "INSTITUCIÓN RESPONSABLE:", "Ministerio", "AVANCES"]
    for i in range(n):
        lineas += _avance(i)
    return lineas


# forma -> (las líneas de n filas, líneas antes de la primera fila, líneas por fila, línea de cada
# campo en su fila, primera fila que se lee por columnas). Se leen una a una las primeras
# _SEGUIDOS_ANTES_DE_COLUMNAS filas y, en los avances, también el primero, que va con su hito en un par.
TRAMOS = {
    "pares": (_pares, 2, 6, {"institucion": 1, "fecha": 3, "descripcion": 4, "porcentaje": 5}, 3),
    "avances": (_avances, 5, 3, {"fecha": 0, "descripcion": 1, "porcentaje": 2}, 4),
}

# (campo que cambia, texto nuevo)
CAMBIOS_EN_UNA_FILA = {
    "institucion_osc": ("institucion", "OSC"),
    "institucion_avances": ("institucion", "AVANCES"),
    "institucion_etiqueta": ("institucion", "DESCRIPCIÓN: x"),
    "dia_invalido": ("fecha", "Fecha: 2025-02-30 10:00:00"),
    "anio_fuera_de_rango": ("fecha", "Fecha: 1999-01-01 10:00:00"),
    "porcentaje_mayor_que_100": ("porcentaje", "Porcentaje avance: 101%"),
    "porcentaje_sin_signo": ("porcentaje", "Porcentaje avance: 7"),
    "descripcion_con_enlace": ("descripcion", "Descripción: ver https://datos.gob.gt/a."),
    "descripcion_de_dos_lineas": ("descripcion", "Descripción: a\nsigue"),
    "porcentaje_con_medios": ("porcentaje", "Porcentaje avance: 5%\nMedios de verificación: acta https://a.gt"),
}
CASOS_DE_CAMBIO = [
    pytest.param(forma, campo, texto, fila, id=f"{forma}-{nombre}-fila{fila}")
    for forma, (_, _, _, campos, primera) in TRAMOS.items()
    for nombre, (campo, texto) in CAMBIOS_EN_UNA_FILA.items()
    if campo in campos
    for fila in _en_los_bordes(primera)
]


@pytest.mark.parametrize("forma, campo, texto, fila", CASOS_DE_CAMBIO)
def test_cambio_en_un_tramo_por_columnas_da_lo_mismo_con_y_sin_atajo(forma, campo, texto, fila):
    hacer, antes, por_fila, campos, _ = TRAMOS[forma]
    lineas = hacer(FILAS)
    lineas[antes + por_fila * fila + campos[campo]] = texto
    _iguales("\n".join(lineas) + "\n")


# Una fila seguida de algo que no es otra fila de la misma forma: el tramo termina y sigue bloques.
INSERCIONES = {
    "medios_con_texto": "Medios de verificación: acta",
    "medios_vacio": "Medios de verificación:",
    "otro_avance": "Fecha: 2025-04-01 09:00:00\nDescripción: otro\nPorcentaje avance: 5%",
    "otro_par": "INSTITUCIÓN RESPONSABLE:\nY\nAVANCES\nFecha: 2025-04-01 09:00:00\nDescripción: otro\nPorcentaje avance: 5%",
    "texto_suelto": "continúa",
    "compromiso_nuevo": "COMPROMISO 2:\nOtro título",
}


@pytest.mark.parametrize("fila", [0, 3, 4, 19, 20, FILAS - 1], ids=lambda n: f"fila{n}")
@pytest.mark.parametrize("insercion", INSERCIONES.values(), ids=INSERCIONES.keys())
@pytest.mark.parametrize("forma", TRAMOS)
def test_tramo_por_columnas_interrumpido_da_lo_mismo_con_y_sin_atajo(forma, insercion, fila):
    hacer, antes, por_fila, _, _ = TRAMOS[forma]
    lineas = hacer(FILAS)
    lineas.insert(antes + por_fila * (fila + 1), insercion)
    _iguales("\n".join(lineas) + "\n")


@pytest.mark.parametrize("forma, metodo", [("pares", "pares"), ("avances", "avances_seguidos")])
def test_los_tramos_se_leen_por_columnas(forma, metodo, monkeypatch):
    # Si _RE_PAR o _RE_AVANCE_SOLO dejaran de encajar, las pruebas de los tramos no probarían nada.
    lineas = []
    original = getattr(modulo._Analizador, metodo)

    def contar(self, pos, linea, *resto):
        r = original(self, pos, linea, *resto)
        lineas.append(0 if r is None else r[1] - linea)
        return r

    monkeypatch.setattr(modulo._Analizador, metodo, contar)
    hacer, _, por_fila, _, primera = TRAMOS[forma]
    _analizar("\n".join(hacer(FILAS)) + "\n", True)
    assert sum(lineas) == por_fila * (FILAS - primera)
