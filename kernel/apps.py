from django.apps import AppConfig


class KernelConfig(AppConfig):
    name = "kernel"
    # The label the Job and AuditEvent tables and migrations were created under when this
    # code lived in the project package: existing databases keep them as they are.
    label = "parindex"
    verbose_name = "Hệ thống"
