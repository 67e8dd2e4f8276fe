"""Pruebas de las alertas (analisis.evaluacion.alertas).

Las líneas esperadas se contaron a mano en ``tests/fixtures/metricas/plan.txt``
(ver la cabecera de tests/test_metricas.py para sus hechos): cabecera en la
línea 1, compromiso 2 en la 57, hitos 1.2 en la 39, 2.1 en la 67 y 2.2 en la
72; avances 1.2.2 en la 51, 1.2.3 en la 54 y 2.2.1 en la 79. Los casos
aislados usan tableros mínimos escritos en la propia prueba.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analisis.lectura.paquete import tablas_desde_tablero
from analisis.evaluacion.alertas import COLUMNAS_ALERTAS, calcular_alertas, similitud
from analisis.lectura.tablero import parsear_texto


@pytest.fixture(scope="module")
def alertas_real(real):
    return calcular_alertas(real, date(2025, 6, 30))


def _un_hito(avances: str, fechas: str = "", porcentaje: str = "") -> object:
    """Tablas de un compromiso con un hito y los avances dados.

    Sin porcentaje reportado ni fechas, el hito empieza en la línea 3 y el
    primer avance en la 6 (COMPROMISO, X, INSTITUCIÓN, GAE, AVANCES, Fecha).
    """
    texto = "COMPROMISO 1:\nX\n"
    if porcentaje:
        texto += f"PORCENTAJE DE AVANCE:\n{porcentaje}\n"
    texto += "INSTITUCIÓN RESPONSABLE:\nGAE\n" + fechas + "AVANCES\n" + avances
    return tablas_desde_tablero(parsear_texto(texto))


def _avance(fecha: str, descripcion: str, porcentaje: str | None = "10%") -> str:
    linea = f"Fecha: {fecha}\nDescripción: {descripcion}\n"
    return linea + (f"Porcentaje avance: {porcentaje}\n" if porcentaje is not None else "")


def _de_tipo(alertas: pd.DataFrame, tipo: str) -> pd.DataFrame:
    return alertas[alertas["tipo"] == tipo]


# --- tabla completa del ejemplo ------------------------------------------------------------


def test_todas_las_alertas_del_ejemplo_en_orden_de_linea(plan):
    alertas = calcular_alertas(plan, date(2025, 3, 31))
    assert alertas.columns.tolist() == COLUMNAS_ALERTAS
    filas = [
        (a.tipo, None if pd.isna(a.compromiso) else int(a.compromiso), a.hito_id, a.avance_id, int(a.linea))
        for a in alertas.itertuples()
    ]
    assert filas == [
        ("contadores_no_cuadran", None, "", "", 1),
        ("contadores_no_cuadran", None, "", "", 1),
        ("orden_registro", 1, "1.2", "1.2.2", 51),
        ("porcentaje_difiere", 2, "", "", 57),
        ("hito_sin_fechas", 2, "2.1", "", 67),
        ("fuera_de_plazo", 2, "2.2", "2.2.1", 79),
    ]


# --- cabecera ---------------------------------------------------------------------------------


def test_contadores_anidados_frente_a_los_datos(plan):
    detalles = _de_tipo(calcular_alertas(plan, date(2025, 3, 31)), "contadores_no_cuadran")["detalle"].tolist()
    # Cabecera: 3 no iniciados, 2 iniciados, 1 completado. Datos: 4 hitos; solo
    # el 2.1 no tiene avances; solo el 1.1 llega a 100 % (su último avance).
    # No iniciados + iniciados = 5 ≠ 4 y 3 ≠ 1 sin actualizar; 1 completado = 1 al 100 %.
    assert detalles == [
        "la cabecera dice 3 hitos no iniciados y 1 hitos no tienen ninguna actualización en los datos",
        "los contadores no iniciados + iniciados de la cabecera suman 5 hitos y los datos tienen 4",
    ]


def test_contadores_usan_toda_la_captura_y_no_el_corte(plan):
    # Al 31/12/2024 ningún avance es visible, pero la cabecera describe la captura entera.
    antes = _de_tipo(calcular_alertas(plan, date(2024, 12, 31)), "contadores_no_cuadran")["detalle"].tolist()
    despues = _de_tipo(calcular_alertas(plan, date(2025, 3, 31)), "contadores_no_cuadran")["detalle"].tolist()
    assert antes == despues


def test_completados_son_parte_de_los_iniciados_y_no_se_suman():
    # 1 no iniciado + 1 iniciado (que además está completado) = 2 hitos: cuadra.
    texto = (
        "1\nHITOS NO INICIADOS1\nHITOS INICIADOS1\nHITOS COMPLETADOS\nCOMPROMISO 1:\nX\n"
        "INSTITUCIÓN RESPONSABLE:\nGAE\nAVANCES\n"
        "INSTITUCIÓN RESPONSABLE:\nGAE\nAVANCES\nFecha: 2025-01-10 09:00:00\nDescripción: hecho\nPorcentaje avance: 100%\n"
    )
    tablas = tablas_desde_tablero(parsear_texto(texto))
    assert _de_tipo(calcular_alertas(tablas, date(2025, 1, 31)), "contadores_no_cuadran").empty


def test_contadores_que_cuadran_no_alertan():
    tablas = tablas_desde_tablero(parsear_texto("1\nHITOS NO INICIADOS0\nHITOS INICIADOS0\nHITOS COMPLETADOS\nCOMPROMISO 1:\nX\nINSTITUCIÓN RESPONSABLE:\nGAE\n"))
    assert _de_tipo(calcular_alertas(tablas, date(2025, 1, 1)), "contadores_no_cuadran").empty


# --- hitos ------------------------------------------------------------------------------------


def test_hito_sin_fecha_de_fin():
    tablas = _un_hito("", fechas="FECHA DE INICIO: 01/01/2025\n")
    (a,) = _de_tipo(calcular_alertas(tablas, date(2025, 1, 1)), "hito_sin_fechas").itertuples()
    assert (a.hito_id, a.linea, a.detalle) == ("1.1", 3, "el hito no tiene fecha de fin: no se puede saber si está vencido")


def test_hito_con_ambas_fechas_no_alerta():
    tablas = _un_hito("", fechas="FECHA DE INICIO: 01/01/2025\nFECHA DE FIN: 31/12/2025\n")
    assert _de_tipo(calcular_alertas(tablas, date(2025, 1, 1)), "hito_sin_fechas").empty


# --- duplicados ---------------------------------------------------------------------------------


def test_duplicado_identico_salvo_mayusculas_y_espacios():
    tablas = _un_hito(
        _avance("2025-01-01 10:00:00", "Reunión con la sociedad civil", "10%")
        + _avance("2025-01-02 10:00:00", "reunión  con la Sociedad Civil", "20%")
    )
    (a,) = _de_tipo(calcular_alertas(tablas, date(2025, 1, 31)), "avance_duplicado").itertuples()
    assert (a.avance_id, a.detalle) == ("1.1.2", "descripción idéntica a la del avance 1.1.1 (porcentajes 10 % y 20 %)")


def test_tres_iguales_se_comparan_con_el_primero():
    tablas = _un_hito("".join(_avance(f"2025-01-0{i} 10:00:00", "Informe mensual") for i in (1, 2, 3)))
    duplicados = _de_tipo(calcular_alertas(tablas, date(2025, 1, 31)), "avance_duplicado")
    assert duplicados["avance_id"].tolist() == ["1.1.2", "1.1.3"]
    assert all("1.1.1" in d for d in duplicados["detalle"])


def test_casi_duplicado_con_erratas():
    # Textos del hito 3.1 real: solo cambian «Cnmplimiento» y «Compromise)».
    tablas = _un_hito(
        _avance("2025-02-27 17:28:11", "Plan de Trabajo y Cronograma en Cnmplimiento al Compromise) 3: Fortalecimiento de la Transparencia", "50%")
        + _avance("2025-02-27 17:30:51", "Plan de Trabajo y Cronograma en Cumplimiento al Compromiso 3: Fortalecimiento de la Transparencia", "50%")
    )
    alertas = calcular_alertas(tablas, date(2025, 3, 1))
    (a,) = _de_tipo(alertas, "avance_casi_duplicado").itertuples()
    assert a.avance_id == "1.1.2"
    assert a.detalle.startswith("descripción casi idéntica (similitud 0.9") and "avance 1.1.1" in a.detalle
    assert _de_tipo(alertas, "avance_duplicado").empty


def test_plantilla_con_otra_fecha_no_es_casi_duplicado():
    # Como 1.2.1 y 1.2.2 del tablero real: mismo texto, otro día y otro lugar (similitud ≈ 0.97).
    base = "La Comisión llevó a cabo el {} de octubre el proceso de territorialización en el departamento de {}"
    tablas = _un_hito(
        _avance("2025-03-05 02:48:19", base.format(15, "Quiché")) + _avance("2025-03-05 02:48:33", base.format(17, "Huehuetenango"))
    )
    assert _de_tipo(calcular_alertas(tablas, date(2025, 3, 31)), "avance_casi_duplicado").empty


def test_textos_poco_parecidos_no_alertan():
    tablas = _un_hito(_avance("2025-01-01 10:00:00", "Capacitación en Quiché") + _avance("2025-01-02 10:00:00", "Capacitación en Sololá"))
    alertas = calcular_alertas(tablas, date(2025, 1, 31))
    assert _de_tipo(alertas, "avance_casi_duplicado").empty and _de_tipo(alertas, "avance_duplicado").empty


def test_duplicados_solo_dentro_del_mismo_hito():
    texto = (
        "COMPROMISO 1:\nX\n"
        "INSTITUCIÓN RESPONSABLE:\nGAE\nAVANCES\n" + _avance("2025-01-01 10:00:00", "Informe")
        + "INSTITUCIÓN RESPONSABLE:\nGAE\nAVANCES\n" + _avance("2025-01-01 10:00:00", "Informe")
    )
    alertas = calcular_alertas(tablas_desde_tablero(parsear_texto(texto)), date(2025, 1, 31))
    assert _de_tipo(alertas, "avance_duplicado").empty


@pytest.mark.parametrize(
    "a,b,esperada",
    [
        ("abcd", "abcd", 1.0),  # LCS 4: 2·4 / 8
        ("abcd", "abce", 0.75),  # LCS «abc»: 2·3 / 8
        ("abcd", "ab", 4 / 6),  # LCS «ab»: 2·2 / 6
        ("abc", "xyz", 0.0),
    ],
    ids=["iguales", "cambia-la-ultima", "recortado", "nada-en-comun"],
)
def test_similitud_es_dos_lcs_entre_largos(a, b, esperada):
    assert similitud(a, b) == pytest.approx(esperada)


_PALABRAS = (
    "agua casa perro luna árbol camino piedra fuego nube río mesa libro puerta campo cielo "
    "tierra viento barco papel reloj silla ventana jardín puente calle torre lápiz espejo llave sombra"
).split()


def test_muchas_copias_casi_iguales_se_senalan_todas():
    # 40 copias de un mismo informe que solo cambian en el número final: más de las que
    # guarda cada cubeta del índice, y todas deben salir como casi duplicadas.
    base = "Informe de seguimiento del hito con la sociedad civil y las instituciones responsables, entrega"
    tablas = _un_hito("".join(_avance(f"2025-01-01 10:{i:02d}:00", f"{base} {i}") for i in range(40)))
    casi = _de_tipo(calcular_alertas(tablas, date(2025, 1, 31)), "avance_casi_duplicado")
    assert casi["avance_id"].tolist() == [f"1.1.{i}" for i in range(2, 41)]


def test_casi_duplicado_lejano_se_encuentra():
    # El texto corregido llega 30 avances después del original, con textos distintos en medio.
    original = "Se publicaron los conjuntos de datos abiertos del Ministerio de Salud en el portal nacional"
    corregido = original.replace("publicaron", "publicaorn")
    medio = "".join(_avance(f"2025-01-02 10:{i:02d}:00", f"{p} " * 6) for i, p in enumerate(_PALABRAS))
    tablas = _un_hito(_avance("2025-01-01 10:00:00", original) + medio + _avance("2025-01-03 10:00:00", corregido))
    (a,) = _de_tipo(calcular_alertas(tablas, date(2025, 1, 31)), "avance_casi_duplicado").itertuples()
    assert a.avance_id == f"1.1.{len(_PALABRAS) + 2}" and "a la del avance 1.1.1 " in a.detalle


def test_casi_duplicado_a_igual_similitud_elige_el_primero():
    # «…A», «…B» y «…C» difieren solo en la última letra: el tercero se parece igual a los dos.
    base = "Reunión de la mesa técnica de datos abiertos con organizaciones de sociedad civil, acta "
    tablas = _un_hito("".join(_avance(f"2025-01-0{i + 1} 10:00:00", base + letra) for i, letra in enumerate("ABC")))
    casi = _de_tipo(calcular_alertas(tablas, date(2025, 1, 31)), "avance_casi_duplicado")
    assert casi["avance_id"].tolist() == ["1.1.2", "1.1.3"]
    assert all("a la del avance 1.1.1 " in d for d in casi["detalle"])


# --- series ----------------------------------------------------------------------------------------


def test_retroceso_del_ejemplo(plan):
    # Al 30/04 la serie de 1.2 en orden de registro es 10 (1.2.2), 10 (1.2.1), 5 (1.2.3).
    (a,) = _de_tipo(calcular_alertas(plan, date(2025, 4, 30)), "retroceso").itertuples()
    assert (a.hito_id, a.avance_id, a.linea) == ("1.2", "1.2.3", 54)
    assert a.detalle == (
        "el porcentaje declarado baja de 10 % (1.2.1, 2025-02-01 08:00:00) a 5 % (1.2.3, 2025-04-02 08:00:00); "
        # 10, 10, 5 baja y suma 25: solo puede leerse como incremental.
        "la serie del hito se lee como incremental: si cada porcentaje es lo que aporta una actividad, no es un retroceso"
    )


def test_alertas_solo_con_lo_registrado_al_corte(plan):
    # El 5 % de 1.2.3 es del 02/04: al 31/03 no hay retroceso ni serie que no encaje.
    alertas = calcular_alertas(plan, date(2025, 3, 31))
    assert _de_tipo(alertas, "retroceso").empty and _de_tipo(alertas, "serie_no_ajusta").empty


def test_serie_que_no_encaja_con_ultimo(plan):
    (a,) = _de_tipo(calcular_alertas(plan, date(2025, 4, 30), "ultimo"), "serie_no_ajusta").itertuples()
    # 10, 10, 5: baja y suma 25 → incremental; «ultimo» toma 5.
    assert (a.hito_id, a.linea) == ("1.2", 39)
    assert a.detalle == (
        "serie incremental (10, 10, 5, en orden de registro) no encaja con el criterio «último»: "
        "último 5, máximo 10, suma 25; se toma 5"
    )


def test_serie_incremental_encaja_con_suma(plan):
    # Con «suma» la serie 10, 10, 5 de 1.2 encaja; solo 1.1 (acumulada) se señala.
    no_ajustan = _de_tipo(calcular_alertas(plan, date(2025, 4, 30), "suma"), "serie_no_ajusta")
    assert no_ajustan["hito_id"].tolist() == ["1.1"]


def test_serie_acumulada_no_encaja_con_suma(plan):
    # 1.1: 20, 60, 100 suma 180 → acumulada; con «suma» no encaja.
    (a,) = _de_tipo(calcular_alertas(plan, date(2025, 3, 31), "suma"), "serie_no_ajusta").itertuples()
    assert a.hito_id == "1.1" and "suma 180; se toma 100" in a.detalle


def test_orden_de_registro_distinto_del_listado(plan):
    (a,) = _de_tipo(calcular_alertas(plan, date(2025, 3, 31)), "orden_registro").itertuples()
    assert (a.avance_id, a.linea) == ("1.2.2", 51)
    assert a.detalle == (
        "el avance 1.2.2 figura después de 1.2.1 pero se registró antes "
        "(2025-01-20 08:00:00 frente a 2025-02-01 08:00:00)"
    )


def test_avance_sin_porcentaje():
    tablas = _un_hito(_avance("2025-01-01 10:00:00", "Reunión", None))
    (a,) = _de_tipo(calcular_alertas(tablas, date(2025, 1, 31)), "avance_sin_porcentaje").itertuples()
    assert (a.avance_id, a.linea) == ("1.1.1", 6)


# --- plazos ------------------------------------------------------------------------------------------


def test_avance_despues_del_fin(plan):
    (a,) = _de_tipo(calcular_alertas(plan, date(2025, 3, 31)), "fuera_de_plazo").itertuples()
    assert (a.avance_id, a.linea, a.detalle) == ("2.2.1", 79, "registrado el 2025-01-15, después del fin del hito (2024-12-31)")


def test_avance_antes_del_inicio():
    tablas = _un_hito(_avance("2025-01-31 23:00:00", "Adelanto"), fechas="FECHA DE INICIO: Febrero 2025\n")
    (a,) = _de_tipo(calcular_alertas(tablas, date(2025, 3, 31)), "fuera_de_plazo").itertuples()
    assert a.detalle == "registrado el 2025-01-31, antes del inicio del hito (2025-02-01)"


def test_avance_el_ultimo_dia_esta_en_plazo():
    # Fin «Junio 2025» = 30/06; un registro el 30/06 a las 23:59 está dentro.
    tablas = _un_hito(_avance("2025-06-30 23:59:00", "Cierre"), fechas="FECHA DE INICIO: 01/01/2025\nFECHA DE FIN: Junio 2025\n")
    assert _de_tipo(calcular_alertas(tablas, date(2025, 7, 31)), "fuera_de_plazo").empty


# --- porcentaje reportado ------------------------------------------------------------------------


def test_porcentaje_reportado_distinto(plan):
    (a,) = _de_tipo(calcular_alertas(plan, date(2025, 3, 31)), "porcentaje_difiere").itertuples()
    # Compromiso 2: reporta 10; 2.1 y 2.2 valen 0 → diferencia 10.
    assert (a.compromiso, a.linea) == (2, 57)
    assert a.detalle == "el tablero reporta 10 % y sus hitos dan 0 % con el criterio «último» (diferencia 10 puntos; tolerancia 0.5)"


def test_porcentaje_dentro_de_la_tolerancia_no_alerta():
    # Reporta 41.7 y el único hito vale 41.3: diferencia 0.4 ≤ 0.5.
    tablas = _un_hito(_avance("2025-01-01 10:00:00", "Avance", "41.3%"), porcentaje="41.7%")
    assert _de_tipo(calcular_alertas(tablas, date(2025, 1, 31)), "porcentaje_difiere").empty


def test_porcentaje_fuera_de_la_tolerancia_alerta():
    # Reporta 41.7 y el hito vale 41.1: diferencia 0.6 > 0.5.
    tablas = _un_hito(_avance("2025-01-01 10:00:00", "Avance", "41.1%"), porcentaje="41.7%")
    (a,) = _de_tipo(calcular_alertas(tablas, date(2025, 1, 31)), "porcentaje_difiere").itertuples()
    assert "diferencia 0.6 puntos" in a.detalle


def test_sin_porcentaje_reportado_no_se_compara():
    tablas = _un_hito(_avance("2025-01-01 10:00:00", "Avance", "41.1%"))
    assert _de_tipo(calcular_alertas(tablas, date(2025, 1, 31)), "porcentaje_difiere").empty


# --- fechas de hechos ------------------------------------------------------------------------------


def test_hecho_posterior_al_registro():
    # Registrado el 27/02/2025: «del año en curso» es 2025 → 12/12/2025, 288 días después
    # (1 día de febrero + 275 de marzo a noviembre + 12 de diciembre).
    tablas = _un_hito(_avance("2025-02-27 17:35:59", "Reunión del día 12 de diciembre del año en curso"))
    (a,) = _de_tipo(calcular_alertas(tablas, date(2025, 3, 31)), "fecha_evento_posterior").itertuples()
    assert a.detalle == (
        "«12 de diciembre del año en curso» se lee, por el año del registro, como 2025-12-12: 288 días después "
        "del registro (2025-02-27). Si el texto se redactó el año anterior, el hecho sería de ese año; quien "
        "evalúa debe revisarlo. No entra en el rezago"
    )


def test_hecho_con_anio_explicito_posterior_al_registro():
    # Año escrito: no hay duda de lectura; 2025-04-10 queda 42 días después del 2025-02-27
    # (1 de febrero + 31 de marzo + 10 de abril).
    tablas = _un_hito(_avance("2025-02-27 17:35:59", "Taller del 10 de abril de 2025"))
    (a,) = _de_tipo(calcular_alertas(tablas, date(2025, 3, 31)), "fecha_evento_posterior").itertuples()
    assert a.detalle == "«10 de abril de 2025» se lee como 2025-04-10, 42 días después del registro (2025-02-27); no entra en el rezago"


# --- orden estable -------------------------------------------------------------------------------


def test_orden_por_linea_y_tipo_en_la_misma_linea(plan):
    # El hito 1.2 (línea 39) y sus avances producen al 30/04 «serie_no_ajusta» (39),
    # «orden_registro» (51) y «retroceso» (54); la cabecera va primero.
    alertas = calcular_alertas(plan, date(2025, 4, 30))
    assert alertas["linea"].tolist() == sorted(alertas["linea"].tolist())
    assert alertas.iloc[0]["tipo"] == "contadores_no_cuadran"
    mismas = calcular_alertas(plan, date(2025, 4, 30))
    pd.testing.assert_frame_equal(alertas, mismas)


# --- tablero real ------------------------------------------------------------------------------------


def test_real_contadores_14_sin_actualizar_y_3_al_cien(alertas_real):
    alertas = _de_tipo(alertas_real, "contadores_no_cuadran")
    # Cabecera 8 / 19 / 7: 8 + 19 = 27 hitos, que es lo que tiene el archivo. Lo
    # que no cuadra: 14 hitos sin ningún «Fecha:» bajo su AVANCES frente a 8 no
    # iniciados, y 3 hitos cuyo último porcentaje es 100 (1.4, 2.3, 3.4) frente a 7.
    assert alertas["linea"].tolist() == [1, 1]
    assert alertas["detalle"].tolist() == [
        "la cabecera dice 7 hitos completados y 3 hitos llegan al 100 % con el criterio «último»",
        "la cabecera dice 8 hitos no iniciados y 14 hitos no tienen ninguna actualización en los datos",
    ]


def test_real_duplicados(alertas_real):
    # 1.2.5 repite 1.2.4 (Quetzaltenango, 47 % y 55 %); 3.1.2 repite 3.1.1.
    assert _de_tipo(alertas_real, "avance_duplicado")["avance_id"].tolist() == ["1.2.5", "3.1.2"]


def test_real_casi_duplicados(alertas_real):
    # 3.1.3 corrige 3.1.1 («2023-202» → «2023-2025») y 3.1.4 corrige las erratas de 3.1.3.
    # No lo son 1.2.2 (otra fecha y departamento) ni 4.1.2 (otra reunión).
    casi = _de_tipo(alertas_real, "avance_casi_duplicado")
    assert casi["avance_id"].tolist() == ["3.1.3", "3.1.4"]
    assert "avance 3.1.3" in casi.iloc[1]["detalle"]


def test_real_retroceso_del_hito_5_4(alertas_real):
    retrocesos = _de_tipo(alertas_real, "retroceso").set_index("avance_id")
    assert retrocesos.at["5.4.2", "detalle"] == (
        "el porcentaje declarado baja de 28 % (5.4.1, 2025-04-22 16:28:48) a 0 % (5.4.2, 2025-04-22 16:35:32); "
        "la serie del hito se lee como incremental: si cada porcentaje es lo que aporta una actividad, no es un retroceso"
    )
    # En 5.3 (serie de incrementos) bajan 5.3.4 (10 → 5) y 5.3.1, registrado el último (25 → 5).
    assert sorted(retrocesos.index) == ["5.3.1", "5.3.4", "5.4.2"]


def test_real_orden_de_registro_del_hito_5_3(alertas_real):
    (a,) = _de_tipo(alertas_real, "orden_registro").itertuples()
    assert (a.avance_id, a.linea) == ("5.3.2", 442)
    assert "(2025-02-28 20:25:32 frente a 2025-02-28 20:53:18)" in a.detalle


def test_real_fuera_de_plazo_solo_el_hito_2_3(alertas_real):
    # 2.3 terminó el 31/12/2023 y sus dos avances son del 24/02/2025.
    assert _de_tipo(alertas_real, "fuera_de_plazo")["avance_id"].tolist() == ["2.3.1", "2.3.2"]


def test_real_hitos_sin_fechas(alertas_real):
    assert _de_tipo(alertas_real, "hito_sin_fechas")["hito_id"].tolist() == [
        "1.2", "1.3", "3.1", "3.2", "3.3", "3.4", "5.2", "5.3", "5.5", "6.1", "6.2", "6.3", "6.4", "6.5",
    ]


def test_real_porcentajes_reportados(alertas_real):
    # Al 30/06/2025 con «ultimo» solo el compromiso 3 coincide (70.5); el 1 da 46.25 frente a 50.
    difieren = _de_tipo(alertas_real, "porcentaje_difiere")
    assert difieren["compromiso"].tolist() == [1, 2, 4, 5, 6]
    assert "reporta 50 % y sus hitos dan 46.25 %" in difieren.iloc[0]["detalle"]


def test_real_series_que_no_encajan_con_ultimo(alertas_real):
    assert _de_tipo(alertas_real, "serie_no_ajusta")["hito_id"].tolist() == ["5.3", "5.4"]


# --- enlace_roto (carpeta de plan tests/fixtures/enlaces/plan, ver su LEEME.md) ---------------------


@pytest.mark.parametrize(
    "corte, esperado",
    [
        pytest.param("2025-03-31", [(1, "1.1", "1.1.2", 33, "https://datos.example.org/uno: enlace comprobado el 2025-03-20: roto (404)")],
                     id="marzo-1.1.2-roto"),
        # En abril 1.1.2 ya responde y 1.2.3 está roto; 1.2.1 sin respuesta no es alerta.
        pytest.param("2025-06-30", [(1, "1.2", "1.2.3", 54, "https://capacita.example.org/peten: enlace comprobado el 2025-04-10: roto (404)")],
                     id="junio-1.2.3-roto"),
    ],
)
def test_enlace_roto_segun_la_comprobacion_al_corte(plan_enlaces, corte, esperado):
    alertas = calcular_alertas(plan_enlaces, date.fromisoformat(corte))
    rotos = alertas[alertas["tipo"] == "enlace_roto"]
    assert list(zip(rotos["compromiso"], rotos["hito_id"], rotos["avance_id"], rotos["linea"], rotos["detalle"])) == esperado


def test_sin_comprobaciones_no_hay_alerta_de_enlace(plan):
    alertas = calcular_alertas(plan, date(2025, 6, 30))
    assert "enlace_roto" not in set(alertas["tipo"])


@pytest.mark.parametrize(
    ("incrementales", "aclara"), [(frozenset({"1.1"}), True), (frozenset(), False)], ids=["serie-incremental", "otra-serie"]
)
def test_retroceso_aclara_solo_en_series_incrementales(incrementales, aclara):
    from analisis.evaluacion.alertas import alertas_retroceso

    avances = pd.DataFrame(
        {
            "hito_id": ["1.1", "1.1"], "avance_id": ["1.1.1", "1.1.2"], "numero": [1, 2], "linea": [10, 14],
            "porcentaje": [60.0, 50.0],
            "fecha_registro": pd.to_datetime(["2025-01-01 10:00:00", "2025-02-01 10:00:00"]),
        }
    )
    (alerta,) = alertas_retroceso(avances, {"1.1": 1}, incrementales)
    assert alerta["detalle"].startswith("el porcentaje declarado baja de 60 % (1.1.1, 2025-01-01 10:00:00) a 50 %")
    assert ("se lee como incremental" in alerta["detalle"]) is aclara
