"""core/rules"""
