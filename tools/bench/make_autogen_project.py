"""Writes the project bench.sh's autogenerate benchmark runs on.

DIR (made again from nothing) gets what `alembic init -t generic migrations`
writes (alembic.ini, migrations/env.py, migrations/script.py.mako and an
empty migrations/versions/), with sqlalchemy.url set to
sqlite:///%(here)s/app.db and env.py's target_metadata taken from
myapp.models, plus the package myapp/models/: a declarative base with a
naming convention and a mixin (id primary key, created_at with a
server_default), ten Python enums, and 60 models over six modules (one in a
subpackage) with Integer, String(n), Text, Boolean, DateTime, Numeric(10, 2)
and Enum columns, foreign keys to earlier tables, index=True, unique=True,
and a UniqueConstraint or an Index in __table_args__ on some. Only
SQLAlchemy 1.4 idioms (Column, declarative_base). No database is written:
autogenerate compares the models with an empty one.
Usage: /usr/bin/python3 -B tools/bench/make_autogen_project.py DIR
"""
import os
import re
import shutil
import subprocess
import sys

ALEMBIC = "/usr/bin/alembic"

ENUMS = {
    "AccountStatus": ["ACTIVE", "SUSPENDED", "CLOSED"],
    "PublishStatus": ["DRAFT", "PUBLISHED", "ARCHIVED"],
    "OrderStatus": ["PENDING", "PAID", "SHIPPED", "DELIVERED", "CANCELLED"],
    "ShipmentStatus": ["LABEL_CREATED", "IN_TRANSIT", "DELIVERED", "LOST"],
    "MovementKind": ["RECEIPT", "ISSUE", "TRANSFER", "ADJUSTMENT"],
    "ReturnStatus": ["REQUESTED", "APPROVED", "REJECTED", "REFUNDED"],
    "PaymentKind": ["CARD", "TRANSFER", "WALLET"],
    "PaymentStatus": ["PENDING", "AUTHORIZED", "CAPTURED", "FAILED", "REFUNDED"],
    "TicketStatus": ["OPEN", "PENDING", "SOLVED", "CLOSED"],
    "Priority": ["LOW", "NORMAL", "HIGH", "URGENT"],
}

# Each model: class name, its columns, its __table_args__.
# A column is "name:type[:flag...]". Types: int, strN, text, bool, dt, num,
# enum(EnumName), fk(table) or fk(table,ONDELETE). Flags: index, unique,
# notnull. A table argument is uq(col,...) or ix(col,...).
MODULES = {
    "accounts": [
        ("User", ["email:str255:unique:notnull", "display_name:str80:index", "is_active:bool",
                  "last_login_at:dt", "status:enum(AccountStatus):notnull"], []),
        ("Profile", ["user_id:fk(user,CASCADE):unique:notnull", "bio:text", "avatar_url:str500",
                     "birth_date:dt", "locale:str10:index"], []),
        ("Team", ["name:str120:unique:notnull", "description:text", "is_archived:bool",
                  "owner_id:fk(user):index"], []),
        ("Membership", ["user_id:fk(user,CASCADE):index:notnull", "team_id:fk(team,CASCADE):index:notnull",
                        "role_name:str40", "joined_at:dt"], ["uq(user_id,team_id)"]),
        ("Role", ["name:str60:unique:notnull", "description:text", "is_system:bool",
                  "weight:int:index"], []),
        ("Permission", ["code:str100:unique:notnull", "label:str200", "description:text",
                        "is_dangerous:bool", "category:str40:index"], []),
        ("RolePermission", ["role_id:fk(role,CASCADE):index:notnull",
                            "permission_id:fk(permission,CASCADE):index:notnull", "granted_at:dt"],
         ["uq(role_id,permission_id)"]),
        ("ApiKey", ["user_id:fk(user,CASCADE):index:notnull", "prefix:str12:unique:notnull",
                    "hashed_secret:str128:notnull", "expires_at:dt", "revoked:bool", "scopes:text"], []),
        ("Session", ["user_id:fk(user,CASCADE):index:notnull", "token:str64:unique:notnull",
                     "ip_address:str45", "user_agent:str500", "expires_at:dt:index"], []),
        ("AuditEvent", ["actor_id:fk(user):index", "action:str64:index:notnull", "target_type:str64",
                        "target_id:int", "payload:text", "severity:enum(Priority)"],
         ["ix(target_type,target_id)"]),
    ],
    "catalog": [
        ("Category", ["name:str120:notnull", "slug:str140:unique:notnull", "description:text",
                      "position:int:index", "is_visible:bool"], []),
        ("Brand", ["name:str120:unique:notnull", "website:str255", "description:text",
                   "is_featured:bool", "country:str2:index"], []),
        ("Product", ["category_id:fk(category):index:notnull", "brand_id:fk(brand):index",
                     "sku:str40:unique:notnull", "name:str200:notnull", "description:text",
                     "price:num:notnull", "is_active:bool", "status:enum(PublishStatus):notnull"],
         ["ix(category_id,is_active)"]),
        ("ProductVariant", ["product_id:fk(product,CASCADE):index:notnull", "sku:str40:unique:notnull",
                            "color:str30", "size:str10", "price_delta:num", "weight_grams:int"], []),
        ("ProductImage", ["product_id:fk(product,CASCADE):index:notnull", "url:str500:notnull",
                          "alt_text:str255", "position:int", "is_primary:bool"],
         ["uq(product_id,position)"]),
        ("Tag", ["name:str60:unique:notnull", "color:str7", "usage_count:int:index"], []),
        ("ProductTag", ["product_id:fk(product,CASCADE):index:notnull",
                        "tag_id:fk(tag,CASCADE):index:notnull"], ["uq(product_id,tag_id)"]),
        ("PriceList", ["name:str120:notnull", "currency_code:str3:index", "valid_from:dt",
                       "valid_until:dt", "is_default:bool"], []),
        ("PriceListItem", ["price_list_id:fk(price_list,CASCADE):index:notnull",
                           "product_id:fk(product):index:notnull", "amount:num:notnull", "min_quantity:int"],
         ["uq(price_list_id,product_id)"]),
        ("Review", ["product_id:fk(product,CASCADE):index:notnull", "user_id:fk(user):index",
                    "rating:int:notnull", "title:str200", "body:text", "is_verified:bool",
                    "status:enum(PublishStatus)"], ["ix(product_id,rating)"]),
    ],
    "inventory": [
        ("Warehouse", ["code:str20:unique:notnull", "name:str120:notnull", "address:text",
                       "city:str80:index", "is_active:bool", "capacity:int"], []),
        ("Location", ["warehouse_id:fk(warehouse,CASCADE):index:notnull", "aisle:str10", "shelf:str10",
                      "bin:str10", "is_pickable:bool"], ["uq(warehouse_id,aisle,shelf,bin)"]),
        ("StockLevel", ["product_variant_id:fk(product_variant):index:notnull",
                        "location_id:fk(location):index:notnull", "on_hand:int:notnull",
                        "reserved:int:notnull", "updated_at:dt"], ["uq(product_variant_id,location_id)"]),
        ("Supplier", ["name:str200:notnull:index", "email:str255:unique", "phone:str40",
                      "lead_time_days:int", "rating:num", "notes:text"], []),
        ("PurchaseOrder", ["supplier_id:fk(supplier):index:notnull", "warehouse_id:fk(warehouse):index",
                           "number:str30:unique:notnull", "status:enum(OrderStatus):notnull",
                           "ordered_at:dt", "expected_at:dt", "total:num"], []),
        ("PurchaseOrderLine", ["purchase_order_id:fk(purchase_order,CASCADE):index:notnull",
                               "product_variant_id:fk(product_variant):index:notnull",
                               "quantity:int:notnull", "unit_cost:num:notnull", "received_quantity:int"], []),
        ("Shipment", ["purchase_order_id:fk(purchase_order):index", "carrier:str60",
                      "tracking_number:str80:unique", "shipped_at:dt", "delivered_at:dt",
                      "status:enum(ShipmentStatus)"], ["ix(carrier,shipped_at)"]),
        ("ShipmentItem", ["shipment_id:fk(shipment,CASCADE):index:notnull",
                          "purchase_order_line_id:fk(purchase_order_line):index",
                          "quantity:int:notnull", "is_damaged:bool"], []),
        ("StockMovement", ["stock_level_id:fk(stock_level):index:notnull", "kind:enum(MovementKind):notnull",
                           "quantity:int:notnull", "reason:str200", "moved_at:dt:index", "reference:str60"], []),
        ("InventoryCount", ["warehouse_id:fk(warehouse):index:notnull", "counted_by_id:fk(user):index",
                            "started_at:dt", "finished_at:dt", "discrepancy:num", "notes:text",
                            "is_final:bool"], []),
    ],
    "commerce.orders": [
        ("Customer", ["user_id:fk(user):unique", "email:str255:notnull:index", "first_name:str80",
                      "last_name:str80", "phone:str40", "marketing_opt_in:bool", "lifetime_value:num"], []),
        ("Address", ["customer_id:fk(customer,CASCADE):index:notnull", "line1:str200:notnull",
                     "line2:str200", "city:str100:index", "postal_code:str20", "country:str2:notnull",
                     "is_default:bool"], []),
        ("Cart", ["customer_id:fk(customer):index", "token:str64:unique:notnull", "expires_at:dt",
                  "is_abandoned:bool", "subtotal:num"], []),
        ("CartItem", ["cart_id:fk(cart,CASCADE):index:notnull",
                      "product_variant_id:fk(product_variant):index:notnull", "quantity:int:notnull",
                      "unit_price:num"], ["uq(cart_id,product_variant_id)"]),
        ("Coupon", ["code:str40:unique:notnull", "description:text", "percent_off:num", "amount_off:num",
                    "valid_until:dt:index", "max_redemptions:int", "is_active:bool"], []),
        ("Order", ["customer_id:fk(customer):index:notnull", "shipping_address_id:fk(address)",
                   "number:str30:unique:notnull", "status:enum(OrderStatus):notnull", "placed_at:dt",
                   "total:num:notnull", "notes:text"], ["ix(customer_id,placed_at)"]),
        ("OrderLine", ["order_id:fk(order,CASCADE):index:notnull",
                       "product_variant_id:fk(product_variant):index:notnull", "quantity:int:notnull",
                       "unit_price:num:notnull", "discount:num", "line_total:num"], []),
        ("CouponRedemption", ["coupon_id:fk(coupon):index:notnull", "order_id:fk(order,CASCADE):unique",
                              "redeemed_at:dt", "amount:num"], []),
        ("ReturnRequest", ["order_id:fk(order):index:notnull", "reason:text", "status:enum(ReturnStatus)",
                           "requested_at:dt:index", "approved:bool", "refund_amount:num"], []),
        ("ReturnLine", ["return_request_id:fk(return_request,CASCADE):index:notnull",
                        "order_line_id:fk(order_line):index:notnull", "quantity:int:notnull",
                        "condition:str40"], ["uq(return_request_id,order_line_id)"]),
    ],
    "commerce.payments": [
        ("Currency", ["code:str3:unique:notnull", "name:str60:notnull", "symbol:str5", "decimals:int",
                      "is_active:bool"], []),
        ("ExchangeRate", ["base_id:fk(currency):index:notnull", "quote_id:fk(currency):index:notnull",
                          "rate:num:notnull", "as_of:dt:notnull"], ["uq(base_id,quote_id,as_of)"]),
        ("TaxRate", ["name:str80:notnull", "country:str2:index", "region:str40", "rate:num:notnull",
                     "is_inclusive:bool", "valid_from:dt"], ["ix(country,region)"]),
        ("PaymentMethod", ["customer_id:fk(customer,CASCADE):index:notnull",
                           "kind:enum(PaymentKind):notnull", "brand:str20", "last4:str4", "expires_at:dt",
                           "is_default:bool", "fingerprint:str64:unique"], []),
        ("Payment", ["order_id:fk(order):index:notnull", "payment_method_id:fk(payment_method):index",
                     "currency_id:fk(currency)", "amount:num:notnull", "status:enum(PaymentStatus):notnull",
                     "captured_at:dt", "provider_ref:str100:unique"], ["ix(status,captured_at)"]),
        ("Refund", ["payment_id:fk(payment):index:notnull", "amount:num:notnull", "reason:text",
                    "processed_at:dt", "is_partial:bool", "provider_ref:str100:unique"], []),
        ("Invoice", ["order_id:fk(order):unique", "number:str30:unique:notnull", "issued_at:dt:index",
                     "due_at:dt", "total:num:notnull", "tax_total:num", "is_paid:bool", "pdf_url:str500"], []),
        ("InvoiceLine", ["invoice_id:fk(invoice,CASCADE):index:notnull", "tax_rate_id:fk(tax_rate)",
                         "description:str255:notnull", "quantity:int:notnull", "unit_price:num:notnull",
                         "amount:num"], []),
        ("Payout", ["currency_id:fk(currency):index:notnull", "amount:num:notnull", "arrival_at:dt",
                    "status:enum(PaymentStatus)", "bank_reference:str80:unique",
                    "statement_descriptor:str22"], []),
        ("LedgerEntry", ["payment_id:fk(payment):index", "refund_id:fk(refund):index",
                         "payout_id:fk(payout):index", "account:str40:notnull", "debit:num", "credit:num",
                         "memo:text", "posted_at:dt"], ["ix(account,posted_at)"]),
    ],
    "support": [
        ("SlaPolicy", ["name:str80:unique:notnull", "priority:enum(Priority):notnull",
                       "first_response_minutes:int:notnull", "resolution_minutes:int", "is_active:bool"], []),
        ("Ticket", ["customer_id:fk(customer):index", "assignee_id:fk(user):index",
                    "sla_policy_id:fk(sla_policy)", "subject:str200:notnull",
                    "status:enum(TicketStatus):notnull", "priority:enum(Priority):notnull", "closed_at:dt"],
         ["ix(status,priority)"]),
        ("TicketMessage", ["ticket_id:fk(ticket,CASCADE):index:notnull", "author_id:fk(user)",
                           "body:text:notnull", "is_internal:bool", "sent_at:dt"], []),
        ("TicketTag", ["ticket_id:fk(ticket,CASCADE):index:notnull", "tag_id:fk(tag,CASCADE):index:notnull"],
         ["uq(ticket_id,tag_id)"]),
        ("Article", ["author_id:fk(user):index", "title:str200:notnull", "slug:str220:unique:notnull",
                     "body:text", "status:enum(PublishStatus)", "published_at:dt:index", "view_count:int"], []),
        ("ArticleRevision", ["article_id:fk(article,CASCADE):index:notnull", "editor_id:fk(user)",
                             "number:int:notnull", "body:text", "summary:str255"], ["uq(article_id,number)"]),
        ("Faq", ["question:str300:notnull", "answer:text:notnull", "position:int:index", "is_published:bool",
                 "category_id:fk(category)"], []),
        ("Macro", ["name:str120:unique:notnull", "body:text:notnull", "owner_id:fk(user):index",
                   "usage_count:int", "is_shared:bool"], []),
        ("Survey", ["ticket_id:fk(ticket):unique", "sent_at:dt", "score:int:index", "comment:text",
                    "follow_up:bool"], []),
        ("SurveyResponse", ["survey_id:fk(survey,CASCADE):index:notnull", "question:str200:notnull",
                            "answer:text", "score:num"], ["ix(survey_id,question)"]),
    ],
}


def table_name(class_name):
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", class_name).lower()


def column_source(spec, imports, enums):
    """The `name = Column(...)` line for one column spec."""
    name, kind, *flags = spec.split(":")
    args, kwargs = [], []
    if kind == "int":
        args.append("Integer")
    elif kind == "text":
        args.append("Text")
    elif kind == "bool":
        args.append("Boolean")
        kwargs.append("default=False")
    elif kind == "dt":
        args.append("DateTime")
    elif kind == "num":
        args.append("Numeric(10, 2)")
    elif kind.startswith("str"):
        args.append(f"String({int(kind[3:])})")
    elif kind.startswith("enum("):
        enum = kind[5:-1]
        enums.add(enum)
        args.append(f"Enum({enum})")
    elif kind.startswith("fk("):
        target, *ondelete = kind[3:-1].split(",")
        args.append("Integer")
        fk = f'ForeignKey("{target}.id"' + (f', ondelete="{ondelete[0]}"' if ondelete else "") + ")"
        args.append(fk)
        imports.add("ForeignKey")
    else:
        raise SystemExit(f"make_autogen_project: unknown column type in {spec!r}")
    imports.add(re.match(r"\w+", args[0]).group(0))
    for flag in flags:
        kwargs.append({"index": "index=True", "unique": "unique=True", "notnull": "nullable=False"}[flag])
    return f"    {name} = Column({', '.join(args + kwargs)})"


def table_arg_source(table, arg, imports):
    kind, cols = arg[:2], arg[3:-1].split(",")
    quoted = ", ".join(f'"{c}"' for c in cols)
    if kind == "uq":
        imports.add("UniqueConstraint")
        return f"UniqueConstraint({quoted})"
    imports.add("Index")
    return f'Index("ix_{table}_{"_".join(cols)}", {quoted})'


def module_source(module, models):
    depth = module.count(".")
    parent = "." * (depth + 1)
    imports, enums, body = {"Column"}, set(), []
    for class_name, columns, table_args in models:
        table = table_name(class_name)
        body += ["", "", f"class {class_name}(TimestampedMixin, Base):"]
        body += [column_source(c, imports, enums) for c in columns]
        if table_args:
            body.append("")
            body.append("    __table_args__ = (")
            body += [f"        {table_arg_source(table, a, imports)}," for a in table_args]
            body.append("    )")
    names = sorted(imports)
    line = f"from sqlalchemy import {', '.join(names)}"
    if len(line) > 88:
        line = "from sqlalchemy import (\n" + "".join(f"    {n},\n" for n in names) + ")"
    head = [f'"""Models of the {module.split(".")[-1]} area."""',
            line,
            "",
            f"from {parent}base import Base, TimestampedMixin"]
    if enums:
        head.append(f"from {parent}enums import {', '.join(sorted(enums))}")
    return "\n".join(head + body) + "\n"


BASE = '''"""The declarative base every model derives from."""
import re

from sqlalchemy import Column, DateTime, Integer, MetaData, func
from sqlalchemy.orm import declarative_base, declared_attr

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Base = declarative_base(metadata=MetaData(naming_convention=NAMING_CONVENTION))


class TimestampedMixin:
    """A surrogate key and a creation time; the table is named after the class."""

    @declared_attr
    def __tablename__(cls):
        return re.sub(r"([a-z0-9])([A-Z])", r"\\1_\\2", cls.__name__).lower()

    id = Column(Integer, primary_key=True)
    created_at = Column(DateTime, server_default=func.now(), nullable=False)
'''

MODELS_INIT = '''"""Every table of the application; importing the package fills Base.metadata."""
from .base import Base
from . import accounts, catalog, inventory, support
from .commerce import orders, payments

__all__ = ["Base", "accounts", "catalog", "inventory", "orders", "payments", "support"]
'''


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def replace_once(text, old, new, what):
    if text.count(old) != 1:
        raise SystemExit(f"make_autogen_project: {what}: expected one {old!r}")
    return text.replace(old, new)


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__.strip().splitlines()[-1])
    project = os.path.abspath(sys.argv[1])
    shutil.rmtree(project, ignore_errors=True)
    os.makedirs(project)
    subprocess.run([ALEMBIC, "init", "-t", "generic", "migrations"], cwd=project, check=True,
                   stdout=subprocess.DEVNULL)

    ini_path = os.path.join(project, "alembic.ini")
    with open(ini_path, encoding="utf-8") as f:
        ini = f.read()
    ini, n = re.subn(r"(?m)^sqlalchemy\.url = .*$", "sqlalchemy.url = sqlite:///%(here)s/app.db", ini)
    if n != 1 or not re.search(r"(?m)^script_location = migrations$", ini) \
            or not re.search(r"(?m)^prepend_sys_path = \.$", ini):
        raise SystemExit("make_autogen_project: alembic init wrote an alembic.ini of another shape")
    write(ini_path, ini)

    env_path = os.path.join(project, "migrations", "env.py")
    with open(env_path, encoding="utf-8") as f:
        env = f.read()
    env = replace_once(env, "\ntarget_metadata = None\n",
                       "\nfrom myapp.models import Base\n\ntarget_metadata = Base.metadata\n", "env.py")
    write(env_path, env)

    package = os.path.join(project, "myapp")
    write(os.path.join(package, "__init__.py"), '"""The application."""\n')
    models = os.path.join(package, "models")
    write(os.path.join(models, "__init__.py"), MODELS_INIT)
    write(os.path.join(models, "base.py"), BASE)
    write(os.path.join(models, "enums.py"),
          '"""The enumerations stored in Enum columns."""\nimport enum\n' +
          "".join(f"\n\nclass {name}(enum.Enum):\n" +
                  "".join(f'    {v} = "{v.lower()}"\n' for v in values)
                  for name, values in ENUMS.items()))
    write(os.path.join(models, "commerce", "__init__.py"), '"""Orders and payments."""\n')
    total = 0
    for module, module_models in MODULES.items():
        write(os.path.join(models, *module.split(".")) + ".py", module_source(module, module_models))
        total += len(module_models)
    if total != 60:
        raise SystemExit(f"make_autogen_project: {total} models, not 60")


if __name__ == "__main__":
    main()
