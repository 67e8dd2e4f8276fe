"""Requisitos estructurales de PDF/A-3b en los PDF de referencia (reports/*/informe_*.pdf).

No es un validador: veraPDF, el validador de referencia, no se puede instalar
en CI (Java y Maven Central; ver docs/reproducibilidad.md para validar a mano).
Estas pruebas leen el PDF con la biblioteca estándar (objetos sueltos y flujos
de objetos) y comprueban las reglas de ISO 19005-3 que se pueden comprobar
sin interpretar el contenido de las páginas; cada prueba cita su cláusula.
Las expresiones admiten los espacios que ponen tanto WeasyPrint (pydyf) como
qpdf (pikepdf), que une las partes del informe.
Un cambio en la composición del PDF (WeasyPrint, informe/pdf.py) que rompa
una de ellas falla aquí antes de publicarse.
"""

from __future__ import annotations

import io
import re
import zlib
from functools import cache
from pathlib import Path

import pytest

RAIZ = Path(__file__).parents[2]
PDFS = sorted((RAIZ / "reports").glob("*/informe_*.pdf"))
_OBJETO = re.compile(rb"(\d+) 0 obj\s*")
_REFERENCIA = re.compile(rb"(\d+) 0 R")


class Pdf:
    """Los objetos de un PDF sin cifrar, con sus flujos ya descomprimidos (solo FlateDecode)."""

    def __init__(self, datos: bytes) -> None:
        self.datos = datos
        self.objetos: dict[int, bytes] = {}  # número → diccionario (o valor) del objeto
        self.flujos: dict[int, bytes] = {}
        posicion = 0
        while (m := _OBJETO.search(datos, posicion)) is not None:
            numero, inicio = int(m.group(1)), m.end()
            fin = datos.index(b"endobj", inicio)
            cuerpo = datos[inicio:fin]
            corte = cuerpo.find(b"stream")
            if corte >= 0 and cuerpo[:corte].rstrip().endswith(b">>"):
                cabecera = cuerpo[:corte]
                largo = int(re.search(rb"/Length (\d+)", cabecera).group(1))
                comienzo = inicio + corte + len(b"stream")
                comienzo += 2 if datos[comienzo:comienzo + 2] == b"\r\n" else 1
                crudo = datos[comienzo:comienzo + largo]
                fin = datos.index(b"endobj", comienzo + largo)
                self.objetos[numero] = cabecera
                self.flujos[numero] = zlib.decompress(crudo) if b"/FlateDecode" in cabecera else crudo
            else:
                self.objetos[numero] = cuerpo
            posicion = fin + len(b"endobj")
        for numero, cabecera in list(self.objetos.items()):
            if b"/Type /ObjStm" in cabecera:
                self._desplegar(self.flujos[numero], cabecera)

    def _desplegar(self, flujo: bytes, cabecera: bytes) -> None:
        primero = int(re.search(rb"/First (\d+)", cabecera).group(1))
        cuantos = int(re.search(rb"/N (\d+)", cabecera).group(1))
        indice = list(map(int, flujo[:primero].split()))
        for i in range(cuantos):
            numero, desde = indice[2 * i], indice[2 * i + 1]
            hasta = indice[2 * i + 3] if i + 1 < cuantos else len(flujo) - primero
            self.objetos[numero] = flujo[primero + desde:primero + hasta]

    def con(self, marca: bytes) -> dict[int, bytes]:
        return {n: o for n, o in self.objetos.items() if marca in o}

    @property
    def xref(self) -> bytes:
        (cabecera,) = self.con(b"/Type /XRef").values()
        return cabecera

    def referencia(self, clave: bytes, en: bytes) -> int:
        return int(re.search(rb"/" + clave + rb" (\d+) 0 R", en).group(1))

    @property
    def catalogo(self) -> bytes:
        return self.objetos[self.referencia(b"Root", self.xref)]


@cache
def _pdf(ruta: Path) -> Pdf:
    return Pdf(ruta.read_bytes())


@pytest.fixture(params=PDFS, ids=[p.parent.name for p in PDFS])
def pdf(request) -> Pdf:
    return _pdf(request.param)


def test_hay_pdfs_de_referencia():
    assert PDFS, "no hay informes de referencia en reports/"


def test_cabecera_con_comentario_binario(pdf):
    # 6.1.2: «%PDF-1.n» y, en la línea siguiente, un comentario con al menos cuatro bytes > 127.
    m = re.match(rb"%PDF-1\.[4-7]\r?\n%([^\r\n]*)", pdf.datos)
    assert m and sum(b > 127 for b in m.group(1)) >= 4


def test_identificador_y_sin_cifrado(pdf):
    # 6.1.3: el tráiler (aquí, el flujo de referencias cruzadas) lleva /ID; no hay /Encrypt.
    assert re.search(rb"/ID \[\s*[(<]", pdf.xref)
    assert not pdf.con(b"/Encrypt")


def test_metadatos_xmp_declaran_pdfa_3b(pdf):
    # 6.6.2 y 6.6.4: el catálogo apunta a un flujo /Metadata /XML con pdfaid:part 3 y conformance B.
    numero = pdf.referencia(b"Metadata", pdf.catalogo)
    assert b"/Type /Metadata" in pdf.objetos[numero] and b"/Subtype /XML" in pdf.objetos[numero]
    xmp = pdf.flujos[numero].decode("utf-8")
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    cabecera_paquete = re.search(r"<\?xpacket begin=[^?]*\?>", xmp).group(0)
    assert "bytes=" not in cabecera_paquete and "encoding=" not in cabecera_paquete


def _texto_pdf(valor: bytes) -> str:
    if valor.startswith(b"<"):
        return bytes.fromhex(valor[1:-1].decode()).decode("utf-16")
    return valor[1:-1].decode("latin-1")


def test_diccionario_de_informacion_coincide_con_xmp(pdf):
    # 6.6.3: cada entrada del diccionario /Info tiene su equivalente XMP con el mismo valor.
    info = pdf.objetos[pdf.referencia(b"Info", pdf.xref)]
    xmp = pdf.flujos[pdf.referencia(b"Metadata", pdf.catalogo)].decode("utf-8")
    entradas = dict(re.findall(rb"/(\w+) (\([^)]*\)|<[0-9a-f]+>)", info))
    equivalentes = {
        b"Title": r'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">(.*?)</rdf:li>',
        b"Producer": r'pdf:Producer="(.*?)"',
        b"Creator": r'<xmp:CreatorTool>(.*?)</xmp:CreatorTool>',
    }
    assert set(entradas) <= set(equivalentes), "entrada de /Info sin equivalente XMP comprobado aquí"
    for clave, valor in entradas.items():
        assert re.search(equivalentes[clave], xmp).group(1) == _texto_pdf(valor)


def test_intencion_de_salida_srgb(pdf):
    # 6.2.3: /OutputIntents con /S /GTS_PDFA1 y un perfil ICC de salida RGB incrustado.
    intencion = re.search(rb"/OutputIntents \[\s*<<(.*?)>>\s*\]", pdf.catalogo, re.S).group(1)
    assert b"/S /GTS_PDFA1" in intencion
    perfil = pdf.flujos[pdf.referencia(b"DestOutputProfile", intencion)]
    assert perfil[36:40] == b"acsp" and perfil[16:20] == b"RGB "


def test_fuentes_incrustadas(pdf):
    # 6.2.11.4: todo programa de fuente va incrustado; 6.2.11.3.2: CIDFontType2 con /CIDToGIDMap.
    descriptores = pdf.con(b"/Type /FontDescriptor")
    assert descriptores
    for numero, descriptor in descriptores.items():
        assert re.search(rb"/FontFile[23]? \d+ 0 R", descriptor), numero
    for numero, fuente in pdf.con(b"/Subtype /CIDFontType2").items():
        assert b"/CIDToGIDMap" in fuente, numero
        assert b"/CIDSet" not in pdf.objetos[pdf.referencia(b"FontDescriptor", fuente)], numero


def _anchos(w: bytes) -> dict[int, float]:
    """El arreglo /W de una fuente CID: «c [w1 w2 ...]» y «c_primero c_ultimo w»."""
    fichas = re.findall(rb"\[|\]|-?[\d.]+", w)
    anchos, i = {}, 0
    while i < len(fichas):
        primero = int(fichas[i])
        if fichas[i + 1] == b"[":
            i += 2
            while fichas[i] != b"]":
                anchos[primero] = float(fichas[i])
                primero, i = primero + 1, i + 1
            i += 1
        else:
            for cid in range(primero, int(fichas[i + 1]) + 1):
                anchos[cid] = float(fichas[i + 2])
            i += 3
    return anchos


def test_anchos_de_las_fuentes_coinciden_con_el_programa(pdf):
    # 6.2.11.5: el ancho de cada glifo en /W coincide (±1 unidad) con el de la fuente incrustada.
    ttlib = pytest.importorskip("fontTools.ttLib")
    for numero, fuente in pdf.con(b"/Subtype /CIDFontType2").items():
        assert b"/CIDToGIDMap /Identity" in fuente, numero
        programa = pdf.flujos[pdf.referencia(b"FontFile2", pdf.objetos[pdf.referencia(b"FontDescriptor", fuente)])]
        tt = ttlib.TTFont(io.BytesIO(programa))
        escala = 1000 / tt["head"].unitsPerEm
        orden = tt.getGlyphOrder()
        w = re.search(rb"/W \[(.*)\]\s*(?:/FontDescriptor|>>)", fuente, re.S)
        anchos = _anchos(w.group(1) if w else b"")
        assert anchos, numero
        for cid, ancho in anchos.items():
            avance = tt["hmtx"][orden[cid]][0] * escala
            assert abs(avance - ancho) <= 1, (numero, cid, ancho, avance)


def test_anotaciones_imprimibles_y_sin_acciones_prohibidas(pdf):
    # 6.3.2: toda anotación lleva la marca de impresión y ninguna de ocultación; 6.3.1: tipos admitidos.
    anotaciones = pdf.con(b"/Type /Annot")
    assert anotaciones
    for numero, anotacion in anotaciones.items():
        bandera = int(re.search(rb"/F (\d+)", anotacion).group(1))
        assert bandera & 4 and not bandera & (1 | 2 | 32), numero
        assert not re.search(rb"/Subtype /(3D|Sound|Screen|Movie|FileAttachment)\b", anotacion), numero
        assert b"/AA" not in anotacion, numero
    # 6.6.1: ni JavaScript ni acciones de lanzar, importar, sonido o película; 6.1.7: sin LZW.
    prohibidas = rb"/S /(JavaScript|Launch|ImportData|ResetForm|Movie|Sound|Hide|Rendition|SetOCGState|Trans|GoTo3DView)\b"
    for numero, objeto in pdf.objetos.items():
        assert not re.search(prohibidas, objeto), numero
        assert b"/JavaScript" not in objeto and b"/LZWDecode" not in objeto, numero


def test_adjuntos_asociados_al_documento(pdf):
    # 6.8: cada archivo incrustado tiene /F, /UF y /AFRelationship, su flujo un tipo MIME y
    # /Params con /ModDate, y el catálogo lo asocia al documento con /AF.
    especificaciones = pdf.con(b"/Type /Filespec")
    assert especificaciones
    for numero, especificacion in especificaciones.items():
        assert b"/F (" in especificacion and b"/UF (" in especificacion, numero
        assert re.search(rb"/AFRelationship /(Source|Data|Alternative|Supplement|Unspecified)\b", especificacion), numero
        flujo = pdf.objetos[int(re.search(rb"/EF <<\s*/F (\d+) 0 R\s*>>", especificacion).group(1))]
        assert re.search(rb"/Subtype /\w+#2f", flujo) and re.search(rb"/Params <<.*?/ModDate \(D:", flujo, re.S), numero
    af = re.search(rb"/AF \[([^\]]*)\]", pdf.catalogo).group(1)
    assert {int(n) for n in _REFERENCIA.findall(af)} == set(especificaciones)
