"""Pruebas de la sección «Cambios en el tablero» y de la procedencia de las capturas en el informe."""

from __future__ import annotations

import pytest

from analisis.evaluacion.evaluacion import Evaluacion
from analisis.informe import cambios
from analisis.informe.contexto import preparar
from analisis.informe.generar import apendice_metodos, paquete_de_carpeta
from analisis.lectura.historial import historial_de
from analisis.lectura.paquete import escribir_paquete

FECHA_INCLUIDA = "desconocida (posterior a 2025-05-22 17:33:50)"


@pytest.fixture
def paquete_dos_capturas(plan_con_dos_capturas, tmp_path):
    carpeta = tmp_path / "paquete"
    escribir_paquete(historial_de([plan_con_dos_capturas]), carpeta)
    return carpeta


def test_conteo_por_tipo_lista_todos_los_tipos(paquete_dos_capturas):
    ctx = preparar("2025-T2", datos=str(paquete_dos_capturas))
    conteo = dict(zip(*cambios.conteo_por_tipo(ctx).to_dict("list").values()))
    assert conteo == {
        "Avance agregado": 1,
        "Avance agregado con fecha atrasada": 1,
        "Avance editado": 2,
        "Avance eliminado": 1,
        "Porcentaje reportado cambiado": 1,
        "Plazo de hito modificado": 1,
        "Hito agregado": 0,
        "Hito eliminado": 0,
        "Texto modificado": 0,
        "Responsable cambiado": 0,
    }


def test_cada_cambio_con_sus_dos_capturas_fechadas(paquete_dos_capturas):
    ctx = preparar("2025-T2", datos=str(paquete_dos_capturas))
    retro = cambios.cambios_de(ctx, "avance_retrofechado")
    assert retro.to_dict("records") == [
        {
            "compromiso": 3, "hito_id": "3.4", "campo": "fecha_registro", "valor_anterior": "",
            "valor_posterior": "2025-04-09T23:02:00",
            "captura_anterior": "1 (2025-04-15T12:00:00-06:00)", "captura_posterior": f"2 ({FECHA_INCLUIDA})",
            "linea_anterior": None, "linea_posterior": 274,
        }
    ]
    plazo = cambios.cambios_de(ctx, "plazo_modificado").iloc[0]
    assert (plazo["hito_id"], plazo["valor_anterior"], plazo["valor_posterior"]) == ("1.1", "2025-05-31", "2025-06-30")


def test_capturas_usadas_con_fecha_fuente_y_huella(paquete_dos_capturas):
    ctx = preparar("2025-T2", datos=str(paquete_dos_capturas))
    usadas = cambios.capturas_usadas(ctx)
    assert list(usadas["fecha"]) == ["2025-04-15T12:00:00-06:00", FECHA_INCLUIDA]
    assert usadas.iloc[1]["sha256"] == "f2a222b1de0b2c3a7b3cc55846b74d3fc0f4f9bcf9959bf95e43d1291baea884"
    assert "una sola captura" not in cambios.resumen_capturas(ctx)


def test_una_sola_captura_lo_dice(tmp_path):
    from analisis.lectura.paquete import escribir_paquete as escribir
    from pathlib import Path

    crudo = Path(__file__).parents[2] / "data" / "raw" / "gt-6pan-2023-2025"
    escribir(historial_de([crudo]), tmp_path / "p")
    ctx = preparar("2025-T1", datos=str(tmp_path / "p"))
    assert "una sola captura" in cambios.resumen_capturas(ctx)
    assert cambios.observacion(ctx) == "no observado a la fecha de corte"  # la captura es posterior al 22 de mayo
    assert cambios.cambios_de(ctx, "avance_eliminado").empty
    # Sin una segunda captura no se afirma «no se eliminó ningún avance» ni una tabla de ceros.
    assert cambios.apartados(ctx).data == ""


def test_con_dos_capturas_cada_apartado_con_su_tabla(paquete_dos_capturas):
    html = cambios.apartados(preparar("2025-T2", datos=str(paquete_dos_capturas))).data
    titulos = [t.split("</h2>")[0] for t in html.split("<h2>")[1:]]
    assert titulos == [
        "Cambios por tipo", "Avances agregados con fecha atrasada", "Avances eliminados",
        "Plazos de hitos modificados", "Porcentajes reportados cambiados",
    ]
    # El avance de 3.4 cargado con fecha del 9 de abril, que la primera captura (15 de abril) no tenía.
    retro = html.split("<h2>Avances agregados con fecha atrasada</h2>")[1].split("<h2>")[0]
    assert "3.4" in retro and "2025-04-09T23:02:00" in retro
    assert "No se eliminó ningún avance." not in html  # el fixture elimina uno


def test_apendice_lista_cada_captura(paquete_dos_capturas):
    html = apendice_metodos(Evaluacion.desde_textos("2025-T2"), paquete_de_carpeta(paquete_dos_capturas))
    assert "2025-04-15T12:00:00-06:00" in html and FECHA_INCLUIDA in html
    assert "f2a222b1de0b2c3a7b3cc55846b74d3fc0f4f9bcf9959bf95e43d1291baea884" in html
    assert "https://gobiernoabierto.transparencia.gob.gt" in html
    assert "captura 1, del 2025-04-15T12:00:00-06:00" in html  # lo reportado al 30 de junio
