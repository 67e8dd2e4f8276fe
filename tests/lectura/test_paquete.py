"""Pruebas del paquete de datos: esquema Frictionless, tipos al leer, determinismo."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analisis.errores import ErrorPaquete
from analisis.lectura.paquete import escribir_paquete, leer_paquete
from analisis.lectura.tablero import parsear_archivo

RAIZ = Path(__file__).parents[2]
CRUDO = RAIZ / "data" / "raw" / "gt-6pan-2023-2025" / "tableropan_gt_6pan_2023-2025.txt"
MINI = Path(__file__).parents[1] / "fixtures" / "tablero" / "mini.txt"
MEDIOS = Path(__file__).parents[1] / "fixtures" / "tablero" / "medios.txt"


@pytest.fixture(scope="module")
def paquete_real(tmp_path_factory):
    carpeta = tmp_path_factory.mktemp("real")
    escribir_paquete(parsear_archivo(CRUDO), carpeta)
    return carpeta


def test_escribe_las_nueve_tablas_y_el_descriptor(paquete_real):
    nombres = sorted(p.name for p in paquete_real.iterdir() if not p.name.startswith("."))
    assert nombres == [
        "actores.csv", "avances.csv", "cambios.csv", "capturas.csv", "compromisos.csv",
        "datapackage.json", "enlaces.csv", "hitos.csv", "reportados.csv", "tablero.csv",
    ]


def test_el_paquete_valida_con_frictionless(paquete_real):
    frictionless = pytest.importorskip("frictionless")
    informe = frictionless.validate(paquete_real / "datapackage.json")
    assert informe.valid, informe.flatten(["rowNumber", "fieldName", "type", "message"])


def test_frictionless_detecta_una_clave_foranea_rota(tmp_path):
    """El esquema sí declara la clave foránea: un avance de un hito inexistente no valida."""
    frictionless = pytest.importorskip("frictionless")
    escribir_paquete(parsear_archivo(MINI), tmp_path)
    avances = tmp_path / "avances.csv"
    avances.write_text(avances.read_text(encoding="utf-8").replace(",1.1,", ",9.9,", 1), encoding="utf-8")
    descriptor = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    for recurso in descriptor["resources"]:
        recurso.pop("hash"), recurso.pop("bytes")  # el CSV cambió a propósito
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    informe = frictionless.validate(tmp_path / "datapackage.json")
    assert not informe.valid
    tipos = {fila[0] for fila in informe.flatten(["type"])}
    assert "foreign-key" in tipos


def test_procedencia_en_el_descriptor(paquete_real):
    descriptor = json.loads((paquete_real / "datapackage.json").read_text(encoding="utf-8"))
    fuente = descriptor["sources"][0]
    assert fuente["path"] == "tableropan_gt_6pan_2023-2025.txt"
    assert fuente["sha256"] == "f2a222b1de0b2c3a7b3cc55846b74d3fc0f4f9bcf9959bf95e43d1291baea884"


def test_misma_entrada_mismos_bytes(tmp_path):
    for destino in ("a", "b"):
        escribir_paquete(parsear_archivo(CRUDO), tmp_path / destino)
    for archivo in (tmp_path / "a").iterdir():
        assert archivo.read_bytes() == (tmp_path / "b" / archivo.name).read_bytes(), archivo.name


def test_leer_restaura_tipos(paquete_real):
    t = leer_paquete(paquete_real)
    assert str(t.hitos["fecha_fin"].dtype).startswith("datetime64")
    assert str(t.avances["fecha_registro"].dtype).startswith("datetime64")
    assert t.avances["porcentaje"].dtype == "float64"
    assert t.compromisos["compromiso"].dtype == "int64"
    # Hitos sin fecha: NaT, no texto vacío; descripciones vacías: "" y no NaN.
    assert t.hitos["fecha_fin"].isna().sum() == 14
    assert (t.avances["medios_verificacion"] == "").all()


def test_estado_de_los_medios_de_verificacion_en_avances_csv(tmp_path):
    # tests/fixtures/tablero/medios.txt: 1.1.1 y 1.1.2 con texto, 1.1.3, 1.2.1 y 1.2.3
    # con la etiqueta vacía, 1.1.4 y 1.2.2 sin la etiqueta.
    escribir_paquete(parsear_archivo(MEDIOS), tmp_path)
    t = leer_paquete(tmp_path)
    estados = dict(zip(t.avances["avance_id"], t.avances["medios_verificacion_estado"]))
    assert estados == {
        "1.1.1": "con_texto", "1.1.2": "con_texto", "1.1.3": "vacio", "1.1.4": "sin_etiqueta",
        "1.2.1": "vacio", "1.2.2": "sin_etiqueta", "1.2.3": "vacio",
    }
    campo = next(
        c for r in json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))["resources"]
        if r["name"] == "avances" for c in r["schema"]["fields"] if c["name"] == "medios_verificacion_estado"
    )
    assert campo["constraints"]["enum"] == ["con_texto", "vacio", "sin_etiqueta"]


def test_frictionless_rechaza_un_estado_de_medios_desconocido(tmp_path):
    frictionless = pytest.importorskip("frictionless")
    escribir_paquete(parsear_archivo(MEDIOS), tmp_path)
    avances = tmp_path / "avances.csv"
    avances.write_text(avances.read_text(encoding="utf-8").replace(",vacio,", ",vacía,", 1), encoding="utf-8")
    descriptor = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    for recurso in descriptor["resources"]:
        recurso.pop("hash"), recurso.pop("bytes")  # el CSV cambió a propósito
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    informe = frictionless.validate(tmp_path / "datapackage.json")
    assert {fila[0] for fila in informe.flatten(["type"])} == {"constraint-error"}


def test_leer_paquete_inexistente(tmp_path):
    with pytest.raises(ErrorPaquete, match="datapackage.json"):
        leer_paquete(tmp_path)


def test_textos_con_saltos_de_linea_y_comillas_sobreviven_al_csv(paquete_real):
    t = leer_paquete(paquete_real)
    d = t.hitos.set_index("hito_id").loc["4.2", "descripcion"]
    assert d.count("\n") == 5
    assert "“Mano a Mano”" in t.compromisos.set_index("compromiso").loc[2, "titulo"]


def test_el_paquete_incluido_es_el_del_crudo_incluido():
    # Los cuadernos y «analisis informe» leen data/processed/ por omisión: debe
    # ser exactamente lo que «analisis parse» escribe hoy desde data/raw/.
    from analisis.lectura.historial import historial_de
    from analisis.lectura.paquete import paquete_bytes

    esperado = paquete_bytes(historial_de([CRUDO.parent]))  # la carpeta del plan, como scripts/principal.sh
    for nombre, contenido in esperado.items():
        assert (RAIZ / "data" / "processed" / nombre).read_bytes() == contenido, (
            f"data/processed/{nombre} no es lo que escribe «analisis parse»; ejecute bash scripts/principal.sh"
        )


def test_leer_archivos_detecta_una_tabla_cambiada(tmp_path):
    from analisis.lectura.paquete import leer_archivos

    escribir_paquete(parsear_archivo(MINI), tmp_path / "p")
    assert set(leer_archivos(tmp_path / "p")) >= {"datapackage.json", "avances.csv", "hitos.csv"}
    avances = tmp_path / "p" / "avances.csv"
    avances.write_bytes(avances.read_bytes() + b"\n")  # una línea de más, como una escritura a medias
    with pytest.raises(ErrorPaquete, match="avances.csv: su SHA-256 no es el que registra datapackage.json"):
        leer_archivos(tmp_path / "p")


PLAN_ENLACES = Path(__file__).parents[1] / "fixtures" / "enlaces" / "plan"


@pytest.fixture(scope="module")
def paquete_con_enlaces(tmp_path_factory):
    from analisis.lectura.historial import historial_de

    carpeta = tmp_path_factory.mktemp("con-enlaces")
    escribir_paquete(historial_de([PLAN_ENLACES]), carpeta)
    return carpeta


def test_el_paquete_con_comprobaciones_de_enlaces_valida_con_frictionless(paquete_con_enlaces):
    frictionless = pytest.importorskip("frictionless")
    informe = frictionless.validate(paquete_con_enlaces / "datapackage.json")
    assert informe.valid, informe.flatten(["rowNumber", "fieldName", "type", "message"])


def test_el_descriptor_nombra_cada_archivo_de_comprobaciones(paquete_con_enlaces):
    descriptor = json.loads((paquete_con_enlaces / "datapackage.json").read_text(encoding="utf-8"))
    assert [a["path"] for a in descriptor["x_observaciones_enlaces"]] == ["enlaces/2025-03-20.csv", "enlaces/2025-04-10.csv"]


def test_comprobaciones_de_enlaces_leidas_con_sus_tipos(paquete_con_enlaces):
    enlaces = leer_paquete(paquete_con_enlaces).enlaces
    assert len(enlaces) == 9
    fila = enlaces[enlaces["avance_id"] == "1.2.3"].iloc[0]
    assert (fila["estado"], int(fila["codigo_http"]), fila["fecha_consulta"]) == ("roto", 404, pd.Timestamp("2025-04-10 09:30:02"))
    assert enlaces["codigo_http"].isna().sum() == 2  # las dos consultas sin respuesta de 1.2.1
