"""The environment of a production start (no DEBUG, real secrets, live Stripe), for the tests that load
the settings in a separate process exactly as production would."""


def production_env(**extra) -> dict[str, str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "x7!Qp2#Lr9@Vm4$Tn8%Wk3^Zb6&Hc1*Jd5(Fg0)Ys-_=+AeUo8iKl",
        "ALLOWED_HOSTS": "studio.example",
        "SITE_URL": "https://studio.example",
        "DATABASE_URL": "postgres://studio:secret@127.0.0.1:5432/studio",
        "REDIS_URL": "redis://127.0.0.1:6379/2",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "STRIPE_SECRET_KEY": "sk_live_example",
        "STRIPE_WEBHOOK_SECRET": "whsec_example",
        "INTAKE_ENCRYPTION_KEY": "q1T3o5gV1pJ0iY8kZxR2b6nW4cE7fH9aL0sD3mN5uK8=",
        "STUDIO_VAR_DIR": "/tmp/studio-prod-check",
    }
    env.update(extra)
    return env
