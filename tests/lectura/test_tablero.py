"""Pruebas del analizador del texto del tablero (analisis.lectura.tablero).

Los valores esperados se leyeron a mano en tests/fixtures/tablero/mini.txt
(52 líneas) y en el archivo crudo real de data/raw/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analisis.errores import AnalisisError, ErrorEntrada
from analisis.lectura.tablero import parsear_archivo, parsear_bytes, parsear_texto

FIXTURES = Path(__file__).parents[1] / "fixtures" / "tablero"
MINI = FIXTURES / "mini.txt"


@pytest.fixture(scope="module")
def mini():
    return parsear_archivo(MINI)


def _por_id(filas, clave):
    return {f[clave]: f for f in filas}


# --- estructura del ejemplo mínimo ---------------------------------------------------


def test_cuenta_registros(mini):
    assert [c["compromiso"] for c in mini.compromisos] == [1, 2]
    assert [h["hito_id"] for h in mini.hitos] == ["1.1", "1.2", "2.1"]
    assert [a["avance_id"] for a in mini.avances] == ["1.1.1", "1.1.2"]


def test_contadores_de_cabecera_el_numero_precede_a_su_etiqueta(mini):
    assert mini.tablero == [{"linea": 1, "hitos_no_iniciados": 3, "hitos_iniciados": 1, "hitos_completados": 0}]


def test_titulo_en_varias_lineas_conserva_todas(mini):
    assert mini.compromisos[0]["titulo"] == "Datos abiertos\npara todos"


def test_responsables_una_institucion_por_linea(mini):
    assert mini.compromisos[0]["responsables"] == (
        "Comisión de Gobierno Abierto y Electrónico\nComisión Nacional contra la Corrupción"
    )


def test_porcentaje_con_coma_decimal_y_espacio(mini):
    assert mini.compromisos[0]["porcentaje_reportado"] == pytest.approx(41.7)


def test_porcentaje_cero_no_es_ausente(mini):
    assert mini.compromisos[1]["porcentaje_reportado"] == 0.0


def test_actores_lista_con_punto_y_coma_da_una_fila_por_organizacion(mini):
    osc = [(a["nombre"], a["linea"]) for a in mini.actores if a["sector"] == "OSC"]
    assert osc == [("CEIDEPAZ", 18), ("GGM", 18), ("Red ciudadana", 19)]


def test_actores_por_sector(mini):
    sectores = [(a["sector"], a["nombre"]) for a in mini.actores]
    assert sectores[0] == ("GOBIERNO", "Comisión de Gobierno Abierto y Electrónico")
    assert sectores[-1] == ("OTROS", "CoST- Guatemala")
    assert len(sectores) == 5


def test_fechas_de_hito_con_precision(mini):
    h = _por_id(mini.hitos, "hito_id")
    # «Junio 2023» como inicio → primer día del mes; «15 de enero de 2024» → día exacto.
    assert (h["1.1"]["fecha_inicio"], h["1.1"]["fecha_inicio_precision"]) == ("2023-06-01", "mes")
    assert (h["1.1"]["fecha_fin"], h["1.1"]["fecha_fin_precision"]) == ("2024-01-15", "dia")
    # «1/3/2024» es día primero: 1 de marzo.
    assert h["2.1"]["fecha_inicio"] == "2024-03-01"
    assert h["2.1"]["fecha_fin"] == "2025-02-06"


def test_hito_sin_fechas_las_deja_vacias(mini):
    h = _por_id(mini.hitos, "hito_id")["1.2"]
    assert "fecha_inicio" not in h and "fecha_fin" not in h


def test_descripcion_de_hito_en_varias_lineas(mini):
    assert mini.hitos[0]["descripcion"] == "Primera línea\nsegunda línea"
    assert mini.hitos[0]["resultados_esperados"] == "Un resultado"


def test_avance_campos(mini):
    a = mini.avances[0]
    assert a["hito_id"] == "1.1"
    assert a["fecha_registro"] == "2024-01-10T08:00:00"
    assert a["porcentaje"] == 12.5
    assert a["medios_verificacion"] == "Acta firmada"
    assert a["linea"] == 32


@pytest.mark.parametrize(
    ("avance_id", "estado", "medios"),
    [
        ("1.1.1", "con_texto", "Acta del taller"),
        ("1.1.2", "con_texto", "Fotografías"),
        ("1.1.3", "vacio", None),
        ("1.1.4", "sin_etiqueta", None),
        ("1.2.1", "vacio", None),
        ("1.2.2", "sin_etiqueta", None),
        ("1.2.3", "vacio", None),
    ],
    ids=[
        "texto-en-la-linea-siguiente", "texto-en-la-misma-linea", "etiqueta-seguida-de-otra-etiqueta",
        "sin-etiqueta", "etiqueta-con-blancos-y-linea-en-blanco", "sin-etiqueta-con-enlace", "etiqueta-al-final-del-archivo",
    ],
)
def test_medios_de_verificacion_distingue_etiqueta_vacia_de_ausente(avance_id, estado, medios):
    t = parsear_archivo(FIXTURES / "medios.txt")
    a = _por_id(t.avances, "avance_id")[avance_id]
    assert a["medios_verificacion_estado"] == estado
    assert a.get("medios_verificacion") == medios


def test_urls_sin_puntuacion_final(mini):
    assert mini.avances[0]["urls"] == "https://example.org/a"
    assert mini.avances[1]["urls"] == ""


def test_linea_de_cada_registro(mini):
    assert [c["linea"] for c in mini.compromisos] == [5, 45]
    assert [h["linea"] for h in mini.hitos] == [22, 40, 49]


# --- fidelidad: ninguna línea se pierde ------------------------------------------------


@pytest.mark.parametrize(
    "ruta",
    [MINI, Path(__file__).parents[2] / "data" / "raw" / "gt-6pan-2023-2025" / "tableropan_gt_6pan_2023-2025.txt"],
    ids=["mini", "real"],
)
def test_cada_linea_no_vacia_termina_en_un_campo(ruta):
    t = parsear_archivo(ruta)
    lineas = ruta.read_text(encoding="utf-8").split("\n")
    no_vacias = {i for i, l in enumerate(lineas, start=1) if l.strip()}
    assert set(t.origen_lineas) == no_vacias


def test_el_texto_de_cada_linea_esta_en_su_campo():
    """Cada línea de texto (no etiqueta) aparece íntegra dentro del campo al que se asignó."""
    ruta = MINI
    t = parsear_archivo(ruta)
    lineas = ruta.read_text(encoding="utf-8").split("\n")
    registros = {
        "compromisos": _por_id(t.compromisos, "compromiso"),
        "hitos": _por_id(t.hitos, "hito_id"),
        "avances": _por_id(t.avances, "avance_id"),
    }
    comprobadas = 0
    for numero, (tabla, clave, campo) in t.origen_lineas.items():
        if tabla not in registros:
            continue
        texto = lineas[numero - 1].strip()
        valor = str(registros[tabla][int(clave) if tabla == "compromisos" else clave].get(campo, ""))
        if ":" not in texto and campo in ("titulo", "descripcion", "resultados_esperados", "medios_verificacion"):
            assert texto in valor, (numero, texto)
            comprobadas += 1
    assert comprobadas >= 6


# --- variantes reales de entrada ---------------------------------------------------------


def _variante(nombre: str) -> bytes:
    texto = MINI.read_text(encoding="utf-8")
    if nombre == "crlf":
        return texto.replace("\n", "\r\n").encode("utf-8")
    if nombre == "bom":
        return b"\xef\xbb\xbf" + texto.encode("utf-8")
    if nombre == "cp1252":
        return texto.encode("cp1252")
    if nombre == "espacios_y_blancos":
        return "\n\n".join("  " + l + "   \t" for l in texto.split("\n")).encode("utf-8")
    if nombre == "sin_tildes":
        tabla = str.maketrans("ÓÍóí", "OIoi")
        cambiadas = [
            l.translate(tabla) if l.endswith(":") or l.startswith(("Descripción", "Medios")) else l
            for l in texto.split("\n")
        ]
        return "\n".join(cambiadas).encode("utf-8")
    if nombre == "minusculas":
        return "\n".join(l.lower() if l.endswith(":") and not l.startswith("COMPROMISO") else l
                         for l in texto.split("\n")).encode("utf-8")
    raise ValueError(nombre)


# El aviso de Windows-1252 se prueba en test_entradas_hostiles.py.
@pytest.mark.filterwarnings("ignore::analisis.errores.AvisoCodificacion")
@pytest.mark.parametrize("nombre", ["crlf", "bom", "cp1252", "espacios_y_blancos", "sin_tildes", "minusculas"])
def test_variantes_dan_los_mismos_registros(mini, nombre):
    t = parsear_bytes(_variante(nombre), "variante.txt")

    def sin_linea(filas):
        return [{k: v for k, v in f.items() if k != "linea"} for f in filas]

    assert sin_linea(t.compromisos) == sin_linea(mini.compromisos)
    assert sin_linea(t.hitos) == sin_linea(mini.hitos)
    assert [{k: v for k, v in a.items() if k != "linea"} for a in t.avances] == [
        {k: v for k, v in a.items() if k != "linea"} for a in mini.avances
    ]
    assert [a["nombre"] for a in t.actores] == [a["nombre"] for a in mini.actores]


# El aviso de Windows-1252 se prueba en test_entradas_hostiles.py.
@pytest.mark.filterwarnings("ignore::analisis.errores.AvisoCodificacion")
def test_cp1252_se_detecta(mini):
    assert parsear_bytes(_variante("cp1252"), "x.txt").codificacion == "windows-1252"


def test_lineas_en_blanco_no_cambian_los_numeros_de_linea_reales():
    t = parsear_bytes(_variante("espacios_y_blancos"), "x.txt")
    # Con una línea en blanco intercalada, la línea n pasa a ser la 2n-1.
    assert t.compromisos[0]["linea"] == 2 * 5 - 1


@pytest.mark.parametrize(
    "texto_fecha,esperado,precision",
    [
        ("06/02/2025", "2025-02-06", "dia"),
        ("1/3/2024", "2024-03-01", "dia"),
        ("Junio 2023", "2023-06-30", "mes"),
        ("JUNIO 2023", "2023-06-30", "mes"),
        ("junio 2023", "2023-06-30", "mes"),
        ("Febrero 2024", "2024-02-29", "mes"),
        ("15 de enero de 2024", "2024-01-15", "dia"),
        ("15 de Enero del 2024", "2024-01-15", "dia"),
    ],
    ids=["dia-primero", "sin-ceros", "mes-capitalizado", "mes-mayusculas", "mes-minusculas",
         "febrero-bisiesto", "larga", "larga-del"],
)
def test_formatos_de_fecha_de_fin(texto_fecha, esperado, precision):
    t = parsear_texto(
        f"COMPROMISO 1:\nT\nINSTITUCIÓN RESPONSABLE:\nX\nFECHA DE FIN: {texto_fecha}\n", "f.txt"
    )
    assert (t.hitos[0]["fecha_fin"], t.hitos[0]["fecha_fin_precision"]) == (esperado, precision)


def test_valor_de_etiqueta_en_la_linea_siguiente():
    t = parsear_texto("COMPROMISO 1:\nT\nINSTITUCIÓN RESPONSABLE:\nX\nFECHA DE INICIO:\n06/02/2025\n", "f.txt")
    assert t.hitos[0]["fecha_inicio"] == "2025-02-06"


def test_compromiso_en_minusculas_dentro_de_un_texto_no_abre_registro():
    texto = (
        "COMPROMISO 1:\nT\nINSTITUCIÓN RESPONSABLE:\nX\nDESCRIPCIÓN:\nPlan de trabajo del\n"
        "Compromiso 3: Fortalecimiento de la transparencia\n"
    )
    t = parsear_texto(texto, "f.txt")
    assert len(t.compromisos) == 1
    assert t.hitos[0]["descripcion"].endswith("Compromiso 3: Fortalecimiento de la transparencia")


# --- entradas erróneas -------------------------------------------------------------------


BASE = "COMPROMISO 1:\nT\nINSTITUCIÓN RESPONSABLE:\nX\nAVANCES\nFecha: 2025-01-01 10:00:00\n"


@pytest.mark.parametrize(
    "texto,linea,fragmento",
    [
        (BASE + "Porcentaje avance: mucho\n", 7, "mucho"),
        (BASE + "Porcentaje avance: 120%\n", 7, "120%"),
        ("COMPROMISO 1:\nT\nINSTITUCIÓN RESPONSABLE:\nX\nFECHA DE FIN: 31/02/2025\n", 5, "31/02/2025"),
        ("COMPROMISO 1:\nT\nINSTITUCIÓN RESPONSABLE:\nX\nFECHA DE FIN: pronto\n", 5, "pronto"),
        (BASE + "Porcentaje avance: 10%\nTexto suelto sin etiqueta\n", 8, "Texto suelto"),
        ("COMPROMISO 1:\nT\nINSTITUCIÓN RESPONSABLE:\nX\nAVANCES\nTexto perdido\n", 6, "Texto perdido"),
        ("Introducción sin registro\nCOMPROMISO 1:\nT\n", 1, "Introducción"),
        ("COMPROMISO 1:\nT\nCOMPROMISO 1:\nU\n", 3, "COMPROMISO 1:"),
        ("COMPROMISO 1:\nT\nINSTITUCIÓN RESPONSABLE:\nX\nFecha: 2025-01-01\n", 5, "Fecha:"),
        ("COMPROMISO 1:\nT\nINSTITUCIÓN RESPONSABLE:\nX\nDESCRIPCIÓN:\na\nDESCRIPCIÓN:\nb\n", 7, "DESCRIPCIÓN"),
        (BASE.replace("2025-01-01 10:00:00", "2025-13-01 10:00:00"), 6, "2025-13-01"),
        # Sin contadores ni «COMPROMISO N:» delante no es una captura del tablero.
        ("DESCRIPCIÓN:\nsin compromiso\n", 1, "no es una captura del tablero"),
    ],
    ids=[
        "porcentaje-no-numerico",
        "porcentaje-mayor-100",
        "fecha-imposible",
        "fecha-irreconocible",
        "texto-tras-porcentaje",
        "texto-tras-avances",
        "texto-antes-de-compromiso",
        "compromiso-duplicado",
        "fecha-sin-avances",
        "etiqueta-repetida",
        "mes-13-en-registro",
        "etiqueta-antes-de-compromiso-no-es-captura",
    ],
)
def test_error_nombra_archivo_linea_y_texto(texto, linea, fragmento):
    with pytest.raises(ErrorEntrada) as info:
        parsear_texto(texto, "malo.txt")
    mensaje = str(info.value)
    assert mensaje.startswith(f"malo.txt:{linea}: ")
    assert fragmento in mensaje
    assert info.value.linea == linea


@pytest.mark.parametrize(
    "datos,motivo",
    [(b"", "vacío"), (b"  \n\n \r\n", "vacío"), (b"COMPROMISO 1:\n\x00\x01\x02", "binario"),
     (b"\x89PNG\r\n\x1a\n\x00\x00", "binario")],
    ids=["vacio", "solo-blancos", "nulos", "png"],
)
def test_archivo_vacio_o_binario(datos, motivo):
    with pytest.raises(ErrorEntrada, match=motivo):
        parsear_bytes(datos, "raro.bin")


def test_archivo_inexistente(tmp_path):
    with pytest.raises(AnalisisError, match="no existe"):
        parsear_archivo(tmp_path / "no-esta.txt")


def test_con_las_caches_de_etiquetas_llenas_se_lee_igual(monkeypatch):
    """Pasado el tope de las cachés, las cabezas nuevas se reconocen igual, sin guardarlas."""
    from analisis.lectura import tablero

    completo = parsear_archivo(MINI)
    monkeypatch.setattr(tablero, "_CACHE_MAX", 1)
    con_tope = parsear_archivo(MINI)
    for tabla in ("compromisos", "hitos", "avances", "actores", "tablero"):
        assert getattr(con_tope, tabla) == getattr(completo, tabla), tabla
    assert con_tope.origen_lineas == completo.origen_lineas
