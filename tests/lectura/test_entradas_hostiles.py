"""Entradas hostiles del analizador (issue 13): cada una es un error claro o el resultado correcto.

Los casos salen de un fuzz de valores sobre el scrape: fechas del año 0000,
números de miles de cifras, números de compromiso enormes, archivos truncados a
mitad de un carácter UTF-8, porcentajes recortados, dígitos de ancho completo y
archivos que no son capturas del tablero. Las garantías están en docs/garantias.md.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from analisis.errores import AvisoCodificacion, ErrorEntrada
from analisis.lectura.fechas import ANIO_MAX, ANIO_MIN
from analisis.lectura.tablero import COMPROMISO_MAX, parsear_bytes, parsear_texto

MINI = (Path(__file__).parents[1] / "fixtures" / "tablero" / "mini.txt").read_text(encoding="utf-8")


def _error(texto: str) -> ErrorEntrada:
    with pytest.raises(ErrorEntrada) as info:
        parsear_texto(texto, "hostil.txt")
    return info.value


def _linea_de(texto: str, fragmento: str) -> int:
    return next(i for i, linea in enumerate(texto.split("\n"), 1) if fragmento in linea)


@pytest.mark.parametrize(
    "original,cambiado",
    [
        ("FECHA DE INICIO: 1/3/2024", "FECHA DE INICIO: 1/3/0000"),
        ("FECHA DE INICIO: Junio 2023", "FECHA DE INICIO: Junio 0000"),
        ("FECHA DE INICIO: Junio 2023", "FECHA DE INICIO: 0000"),
        ("Fecha: 2024-01-10 08:00:00", "Fecha: 0000-01-10 08:00:00"),
        ("FECHA DE FIN: 06/02/2025", "FECHA DE FIN: 06/02/2205"),
        ("FECHA DE INICIO: Junio 2023", "FECHA DE INICIO: 15 de junio de 1999"),
    ],
    ids=["dia-anio-0000", "mes-anio-0000", "solo-anio-0000", "registro-anio-0000", "tipeo-2205", "antes-de-2000"],
)
def test_fecha_fuera_de_rango_es_error_en_su_linea(original, cambiado):
    texto = MINI.replace(original, cambiado)
    error = _error(texto)
    assert error.linea == _linea_de(texto, cambiado)
    assert f"fuera del rango admitido ({ANIO_MIN}-{ANIO_MAX})" in error.motivo
    assert error.texto == cambiado


@pytest.mark.parametrize(
    "original,cambiado,motivo",
    [
        ("41,7 %", "4" + "1" * 5000 + " %", "el porcentaje no es un número bien formado"),
        ("HITOS NO INICIADOS1", "HITOS NO INICIADOS" + "1" * 5000, "contador de la cabecera fuera de rango"),
        ("COMPROMISO 2:", "COMPROMISO " + "9" * 5000 + ":", "número de compromiso fuera de rango"),
        ("COMPROMISO 2:", "COMPROMISO 99999999999999999999:", "número de compromiso fuera de rango"),
        ("COMPROMISO 2:", f"COMPROMISO {COMPROMISO_MAX + 1}:", "número de compromiso fuera de rango"),
    ],
    ids=["porcentaje-5000-cifras", "contador-5000-cifras", "compromiso-5000-cifras", "compromiso-20-cifras", "compromiso-max-mas-1"],
)
def test_numero_enorme_es_error_en_su_linea(original, cambiado, motivo):
    texto = MINI.replace(original, cambiado)
    error = _error(texto)
    assert error.linea == _linea_de(texto, cambiado[:30])
    assert error.motivo.startswith(motivo)
    assert len(str(error)) < 300  # el fragmento se recorta


def test_compromiso_en_el_tope_se_acepta():
    t = parsear_texto(MINI.replace("COMPROMISO 2:", f"COMPROMISO {COMPROMISO_MAX}:"), "tope.txt")
    assert [c["compromiso"] for c in t.compromisos] == [1, COMPROMISO_MAX]


@pytest.mark.parametrize(
    "valor", ["72.", "72,", "7", "072%", "72.%", "1e2%", "%", "7 2%"], ids=repr
)
def test_porcentaje_recortado_o_mal_formado_es_error(valor):
    texto = MINI.replace("Porcentaje avance: 12.5%", f"Porcentaje avance: {valor}")
    error = _error(texto)
    assert error.linea == 34
    assert "porcentaje no es un número bien formado" in error.motivo


@pytest.mark.parametrize(
    "valor,numero", [("7%", 7.0), ("0%", 0.0), ("100%", 100.0), ("41,7 %", 41.7), ("8.34%", 8.34)], ids=repr
)
def test_porcentaje_bien_formado_se_acepta(valor, numero):
    # «7%» puede ser «72%» recortado, pero es un valor bien formado: del texto solo no se puede saber.
    t = parsear_texto(MINI.replace("Porcentaje avance: 12.5%", f"Porcentaje avance: {valor}"), "bien.txt")
    assert t.avances[0]["porcentaje"] == numero


@pytest.mark.parametrize(
    "original,cambiado,motivo",
    [
        ("Porcentaje avance: 12.5%", "Porcentaje avance: １２%", "el porcentaje usa dígitos que no son 0-9"),
        ("FECHA DE FIN: 06/02/2025", "FECHA DE FIN: ０６/02/2025", "la fecha usa dígitos que no son 0-9"),
        ("Fecha: 2024-01-10 08:00:00", "Fecha: ２０２４-01-10 08:00:00", "la fecha usa dígitos que no son 0-9"),
        ("COMPROMISO 2:", "COMPROMISO ２:", "número de compromiso fuera de rango"),
        ("COMPROMISO 2:", "COMPROMISO ٢:", "número de compromiso fuera de rango"),
        ("HITOS NO INICIADOS1", "HITOS NO INICIADOS１", "contador de la cabecera fuera de rango"),
    ],
    ids=["porcentaje", "fecha-hito", "fecha-registro", "compromiso-ancho-completo", "compromiso-arabe", "contador"],
)
def test_digitos_no_ascii_se_rechazan_igual_en_todo_el_analizador(original, cambiado, motivo):
    texto = MINI.replace(original, cambiado)
    error = _error(texto)
    assert error.linea == _linea_de(texto, cambiado)
    assert error.motivo.startswith(motivo)


# --- codificación -------------------------------------------------------------------


def test_truncado_a_mitad_de_caracter_es_error_en_la_linea_real():
    datos = MINI.encode("utf-8")
    corte = datos.rindex("Ó".encode("utf-8")) + 1  # queda solo el primer byte de «Ó»
    with pytest.raises(ErrorEntrada) as info:
        parsear_bytes(datos[:corte], "truncado.txt")
    assert info.value.linea == MINI[: MINI.rindex("Ó")].count("\n") + 1
    assert "secuencia inválida" in info.value.motivo
    assert info.value.texto == "\\xC3"


@pytest.mark.parametrize("salto", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_byte_invalido_en_medio_de_un_utf8_es_error_en_su_linea(salto):
    # Un byte dañado en «DESCRIPCIÓN DEL COMPROMISO» (línea 11): el resto del archivo es UTF-8.
    datos = MINI.replace("\n", salto).encode("utf-8")
    malo = datos.index("Ó".encode("utf-8"))
    with pytest.raises(ErrorEntrada) as info:
        parsear_bytes(datos[:malo] + b"\xd3" + datos[malo + 2 :], "danado.txt")
    assert info.value.linea == 11


def test_windows_1252_entero_se_lee_con_aviso():
    datos = MINI.encode("cp1252")
    with pytest.warns(AvisoCodificacion, match="se lee entero como Windows-1252"):
        t = parsear_bytes(datos, "ansi.txt")
    assert t.codificacion == "windows-1252"
    assert t.hitos[0]["institucion"] == "Comisión de Gobierno Abierto y Electrónico"


def test_utf8_valido_no_avisa():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert parsear_bytes(MINI.encode("utf-8"), "bien.txt").codificacion == "utf-8"


def test_bom_con_byte_invalido_es_error_y_no_windows_1252():
    # Con BOM el archivo se declara UTF-8: aunque el resto esté en Windows-1252, no se
    # reinterpreta; el error señala el primer carácter mal escrito.
    datos = b"\xef\xbb\xbf" + MINI.encode("cp1252")
    with pytest.raises(ErrorEntrada) as info:
        parsear_bytes(datos, "bom.txt")
    primera = next(i for i, linea in enumerate(MINI.split("\n"), 1) if not linea.isascii())
    assert info.value.linea == primera


def test_ni_utf8_ni_windows_1252_no_es_captura():
    # 0x81 no es un carácter de Windows-1252 y no hay ningún carácter UTF-8 válido.
    with pytest.raises(ErrorEntrada, match="no es una captura del tablero: no es texto UTF-8 ni Windows-1252"):
        parsear_bytes(b"COMPROMISO 1:\nT\xe9tulo \x81\n", "raro.txt")


# --- archivos que no son capturas -----------------------------------------------------

PASSWD = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"


@pytest.mark.parametrize(
    "contenido",
    [
        PASSWD,
        "# Notas privadas\n\nclave secreta: 1234\n",
        "\n\nDESCRIPCIÓN: texto que no está en un tablero\n",
        '{"clave": "valor secreto"}\n',
    ],
    ids=["passwd", "notas", "etiqueta-suelta", "json"],
)
def test_archivo_que_no_es_captura_se_nombra_sin_mostrar_su_contenido(contenido):
    error = _error(contenido)
    assert "no es una captura del tablero" in str(error)
    assert error.texto is None
    primera = next(l for l in contenido.split("\n") if l.strip())
    assert primera not in str(error) and primera.split(":")[0] not in str(error).split(": ", 1)[1]
    assert error.linea == _linea_de(contenido, primera)


@pytest.mark.parametrize(
    "datos", [b"\x89PNG\r\n\x1a\n\x00\x00IHDR", b"texto\x01secreto\n"], ids=["png", "control"]
)
def test_binario_no_es_captura_y_no_se_muestra(datos):
    with pytest.raises(ErrorEntrada) as info:
        parsear_bytes(datos, "binario.bin")
    assert "no es una captura del tablero" in str(info.value)
    assert info.value.texto is None


def test_error_tras_un_compromiso_si_muestra_el_fragmento():
    # Un archivo que ya empezó como el tablero sí es una captura: el error muestra la línea a corregir.
    error = _error("COMPROMISO 1:\nT\nPORCENTAJE DE AVANCE:\nmitad\n")
    assert error.texto == "mitad"


# --- forma del texto -------------------------------------------------------------------


def test_descripcion_de_400_000_lineas_se_lee_entera():
    lineas = [f"paso {i}" for i in range(400_000)]
    texto = MINI.replace("Descripción: Segundo avance", "Descripción: Segundo avance\n" + "\n".join(lineas))
    t = parsear_texto(texto, "largo.txt")
    assert t.avances[1]["descripcion"] == "Segundo avance\n" + "\n".join(lineas)
    assert len(t.origen_lineas) == len([l for l in texto.split("\n") if l.strip()])
