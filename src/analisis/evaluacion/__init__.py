"""Evaluación al corte: métricas, alertas, rezago y participación, calculadas desde el paquete de datos."""
