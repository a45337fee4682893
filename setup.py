import setuptools

# pbr: metadata in setup.cfg, dependencies in requirements.txt, the version
# from git (the newest tag, or a dev version counted from it).
setuptools.setup(setup_requires=["pbr>=6.0.0"], pbr=True)
