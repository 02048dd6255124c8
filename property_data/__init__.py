"""carbonhub's property data (YAML with a citation on every number).

Shipped inside the wheel as ``carbonhub.property_data``; read through :func:`carbonhub.data.data_dir`.
"""
