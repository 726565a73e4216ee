"""Supervision: rounds of spot checks, responsibility letters (责任书), reminder letters (提示函) with their
replies, and the daily bulletin (通报) gathered from every feature's figures."""
