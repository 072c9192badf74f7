#include "ops/batch.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <type_traits>
#include <utility>

#include "ops/identifier_preparer.h"
#include "ops/sqlite_renderer.h"

namespace sqlmend::ops {
namespace {

using base::Fail;
using base::Result;
using base::Status;

// One column of the table being rebuilt (ApplyBatchImpl.columns and
// column_transfers together).
struct BatchColumn {
  std::string key;              // the original name: what the copy reads
  Column column;                // name may differ after a rename
  bool transferred = true;      // false for add_column
  std::optional<Type> cast_to;  // CAST in the copy
};

// A constraint of the rebuilt table, its columns by key.
struct BatchConstraint {
  std::optional<std::string> name;
  Constraint constraint;
};

// SQLAlchemy's TypeEngine._type_affinity, by class family.
std::string Affinity(const Type& type) {
  using Kind = Type::Kind;
  switch (type.kind) {
    case Kind::kInteger:
    case Kind::kBigInteger:
    case Kind::kSmallInteger:
      return "Integer";
    case Kind::kString:
    case Kind::kText:
    case Kind::kEnum:
      return "String";
    case Kind::kBoolean:
      return "Boolean";
    case Kind::kDateTime:
      return "DateTime";
    case Kind::kDate:
      return "Date";
    case Kind::kTime:
      return "Time";
    case Kind::kFloat:
    case Kind::kNumeric:
      return "Numeric";
    case Kind::kLargeBinary:
      return "_Binary";
    case Kind::kJson:
      return "JSON";
    case Kind::kRaw:
      break;
  }
  const std::string word = type.raw.substr(0, type.raw.find('('));
  static const std::map<std::string, std::string> kRaw = {
      {"INTEGER", "Integer"}, {"BIGINT", "Integer"},    {"SMALLINT", "Integer"},
      {"CHAR", "String"},     {"VARCHAR", "String"},    {"NCHAR", "String"},
      {"NVARCHAR", "String"}, {"TEXT", "String"},       {"CLOB", "String"},
      {"BOOLEAN", "Boolean"}, {"DATETIME", "DateTime"}, {"TIMESTAMP", "DateTime"},
      {"DATE", "Date"},       {"TIME", "Time"},         {"FLOAT", "Numeric"},
      {"REAL", "Numeric"},    {"NUMERIC", "Numeric"},   {"DECIMAL", "Numeric"},
      {"BLOB", "_Binary"},    {"JSON", "JSON"},         {"", "NullType"},
  };
  const auto found = kRaw.find(word);
  return found == kRaw.end() ? "Raw:" + type.raw : found->second;
}

// The columns a constraint names (for a foreign key: the local ones).
std::vector<std::string> ConstraintColumns(const Constraint& constraint) {
  switch (constraint.kind) {
    case Constraint::Kind::kUnique:
      return constraint.unique.columns;
    case Constraint::Kind::kForeignKey:
      return constraint.foreign_key.columns;
    case Constraint::Kind::kPrimaryKey:
      return constraint.primary_key.columns;
    case Constraint::Kind::kCheck:
      return {};
  }
  return {};
}

std::string ConventionKind(Constraint::Kind kind) {
  switch (kind) {
    case Constraint::Kind::kUnique:
      return "uq";
    case Constraint::Kind::kCheck:
      return "ck";
    case Constraint::Kind::kForeignKey:
      return "fk";
    case Constraint::Kind::kPrimaryKey:
      return "pk";
  }
  return "";
}

ConstraintName& NameOf(Constraint& constraint) {
  switch (constraint.kind) {
    case Constraint::Kind::kUnique:
      return constraint.unique.name;
    case Constraint::Kind::kCheck:
      return constraint.check.name;
    case Constraint::Kind::kForeignKey:
      return constraint.foreign_key.name;
    case Constraint::Kind::kPrimaryKey:
      break;
  }
  return constraint.primary_key.name;
}

// The name `constraint` of `table` takes under `metadata` (nullopt:
// unnamed; a convention that cannot apply leaves it unnamed).
std::optional<std::string> ResolvedName(const MetaData& metadata, const std::string& table,
                                        Constraint constraint) {
  NamingSubject subject;
  subject.kind = ConventionKind(constraint.kind);
  subject.table = table;
  subject.name = NameOf(constraint);
  subject.columns = ConstraintColumns(constraint);
  if (constraint.kind == Constraint::Kind::kForeignKey) {
    subject.referred_table = constraint.foreign_key.target_table;
    subject.referred_columns = constraint.foreign_key.target_columns;
  }
  auto name = ResolveConstraintName(metadata, subject);
  if (!name) return std::nullopt;
  return *name;
}

// Flattens a copy_from table the way SQLAlchemy attaches it: the primary
// key and the column-made constraints become table-level constraints.
std::vector<Constraint> TableConstraints(const Table& table) {
  std::vector<Constraint> out;
  if (table.primary_key) {
    out.push_back(Constraint::Of(*table.primary_key));
  } else {
    PrimaryKeyConstraint pk;
    for (const Column& column : table.columns) {
      if (column.primary_key) pk.columns.push_back(column.name);
    }
    if (!pk.columns.empty()) out.push_back(Constraint::Of(pk));
  }
  for (const Constraint& constraint : table.constraints) out.push_back(constraint);
  for (const Column& column : table.columns) {
    if (column.unique && !column.index) {
      out.push_back(Constraint::Of(UniqueConstraint{{column.name}, {}, {}, {}}));
    }
    for (const ForeignKey& fk : column.foreign_keys) {
      out.push_back(Constraint::Of(ForeignKeyConstraint{
          {column.name}, fk.target_table, {fk.target_column}, fk.options, fk.name}));
    }
  }
  return out;
}

// SQLAlchemy's util.topological.sort with deterministic_order: repeatedly
// take, in current order, every item none of whose parents is left.
Result<std::vector<std::string>> TopologicalSort(
    const std::vector<std::pair<std::string, std::string>>& pairs,
    const std::vector<std::string>& items, const std::string& table) {
  std::map<std::string, std::set<std::string>> parents;
  for (const auto& [parent, child] : pairs) parents[child].insert(parent);
  std::vector<std::string> todo = items;
  std::set<std::string> left(items.begin(), items.end());
  std::vector<std::string> out;
  while (!left.empty()) {  // each pass removes at least one item
    std::vector<std::string> ready;
    for (const std::string& item : todo) {
      const std::set<std::string>& needs = parents[item];
      if (std::none_of(needs.begin(), needs.end(),
                       [&left](const std::string& p) { return left.count(p) > 0; })) {
        ready.push_back(item);
      }
    }
    if (ready.empty()) return Fail(Status::Refused(table, "Circular dependency detected."));
    for (const std::string& item : ready) left.erase(item);
    out.insert(out.end(), ready.begin(), ready.end());
    std::erase_if(todo, [&left](const std::string& item) { return left.count(item) == 0; });
  }
  return out;
}

// The state of ApplyBatchImpl between its construction and _create().
class BatchTable {
 public:
  BatchTable(const Table& existing, bool reflected, const BatchAlterTable& batch)
      : table_(existing.name), batch_(batch) {
    for (const Column& column : existing.columns) {
      BatchColumn copy{column.name, column, true, std::nullopt};
      copy.column.unique = copy.column.index = false;
      copy.column.foreign_keys.clear();
      columns_.push_back(std::move(copy));
    }
    MetaData reflected_into;  // the MetaData of the batch's naming convention
    if (batch.naming_convention) reflected_into.naming_convention = *batch.naming_convention;
    for (Constraint constraint : TableConstraints(existing)) {
      if (reflected && constraint.kind == Constraint::Kind::kCheck &&
          !constraint.check.name.value) {
        continue;  // Alembic cannot tell it from a type's CHECK: dropped
      }
      std::optional<std::string> name = ResolvedName(reflected_into, table_, constraint);
      if (constraint.kind == Constraint::Kind::kPrimaryKey) {
        primary_key_ = constraint.primary_key.columns;
      }
      if (name) {
        NameOf(constraint) = ConstraintName::F(*name);
        SetNamed(*name, constraint);
      } else {
        unnamed_.push_back(constraint);
      }
    }
    indexes_ = existing.indexes;
  }

  Status Apply(const BatchOperation& operation, const MetaData& metadata);
  Result<TableRebuild> Create();

 private:
  BatchColumn* Find(const std::string& key) {
    for (BatchColumn& column : columns_) {
      if (column.key == key) return &column;
    }
    return nullptr;
  }
  void SetNamed(const std::string& name, const Constraint& constraint) {
    for (auto& entry : named_) {
      if (entry.first == name) {
        entry.second = constraint;
        return;
      }
    }
    named_.emplace_back(name, constraint);
  }
  // The current name of the column with key `key` (the key itself when the
  // column is gone: SQLite then reports the missing column, as for Alembic).
  std::string CurrentName(const std::string& key) {
    const BatchColumn* column = Find(key);
    return column ? column->column.name : key;
  }
  std::vector<std::string> CurrentNames(const std::vector<std::string>& keys) {
    std::vector<std::string> out;
    for (const std::string& key : keys) out.push_back(CurrentName(key));
    return out;
  }
  Status AddConstraint(Constraint constraint, const MetaData& metadata);

  std::string table_;
  const BatchAlterTable& batch_;
  std::vector<BatchColumn> columns_;
  std::vector<std::string> primary_key_;  // keys
  std::vector<std::pair<std::string, Constraint>> named_;
  std::vector<Constraint> unnamed_;
  std::vector<Index> indexes_;
  std::vector<Index> new_indexes_;
  bool added_columns_ = false;
};

Status BatchTable::AddConstraint(Constraint constraint, const MetaData& metadata) {
  const std::optional<std::string> name = ResolvedName(metadata, table_, constraint);
  if (!name) return Status::Refused(table_, "Constraint must have a name");
  NameOf(constraint) = ConstraintName::F(*name);
  if (constraint.kind == Constraint::Kind::kPrimaryKey) {
    std::erase_if(unnamed_,
                  [](const Constraint& c) { return c.kind == Constraint::Kind::kPrimaryKey; });
    primary_key_ = constraint.primary_key.columns;
  }
  SetNamed(*name, constraint);
  return {};
}

Status BatchTable::Apply(const BatchOperation& operation, const MetaData& metadata) {
  if (const auto* add = std::get_if<AddColumn>(&operation)) {
    Column column = add->column;
    // toimpl.add_column: the column's constraints through add_constraint,
    // its indexes through create_index.
    if (column.unique && !column.index) {
      SQLMEND_RETURN_IF_ERROR(
          AddConstraint(Constraint::Of(UniqueConstraint{{column.name}, {}, {}, {}}), metadata));
    }
    for (const ForeignKey& fk : column.foreign_keys) {
      SQLMEND_RETURN_IF_ERROR(AddConstraint(
          Constraint::Of(ForeignKeyConstraint{
              {column.name}, fk.target_table, {fk.target_column}, fk.options, fk.name}),
          metadata));
    }
    if (column.index) {
      new_indexes_.push_back(
          Index{{}, table_, {IndexElement::ColumnName(column.name)}, column.unique, std::nullopt});
    }
    column.unique = column.index = false;
    column.foreign_keys.clear();
    columns_.push_back({column.name, std::move(column), false, std::nullopt});
    added_columns_ = true;
    return {};
  }
  if (const auto* drop = std::get_if<DropColumn>(&operation)) {
    const auto found = std::find_if(columns_.begin(), columns_.end(),
                                    [&](const BatchColumn& c) { return c.key == drop->column; });
    if (found == columns_.end()) return Status::Refused(table_, "KeyError: '" + drop->column + "'");
    columns_.erase(found);
    std::erase(primary_key_, drop->column);
    for (auto& entry : named_) {
      if (entry.second.kind == Constraint::Kind::kPrimaryKey) {
        std::erase(entry.second.primary_key.columns, drop->column);
      }
    }
    for (Constraint& constraint : unnamed_) {
      if (constraint.kind == Constraint::Kind::kPrimaryKey) {
        std::erase(constraint.primary_key.columns, drop->column);
      }
    }
    return {};
  }
  if (const auto* alter = std::get_if<AlterColumn>(&operation)) {
    BatchColumn* column = Find(alter->column);
    if (!column) return Status::Refused(table_, "KeyError: '" + alter->column + "'");
    if (alter->new_column_name) column->column.name = *alter->new_column_name;
    if (alter->type) {
      if (column->transferred && Affinity(column->column.type) != Affinity(*alter->type) &&
          alter->type->kind != Type::Kind::kJson) {
        column->cast_to = *alter->type;
      }
      column->column.type = *alter->type;
    }
    if (alter->nullable) column->column.nullable = *alter->nullable;
    if (alter->server_default) column->column.server_default = *alter->server_default;
    if (alter->autoincrement) column->column.autoincrement = *alter->autoincrement;
    if (alter->comment) column->column.comment = *alter->comment;
    return {};
  }
  if (const auto* add = std::get_if<ops::AddConstraint>(&operation)) {
    return AddConstraint(add->constraint, metadata);
  }
  if (const auto* drop = std::get_if<DropConstraint>(&operation)) {
    NamingSubject subject;
    subject.kind = drop->type == "foreignkey" ? "fk"
                   : drop->type == "unique"   ? "uq"
                   : drop->type == "check"    ? "ck"
                   : drop->type == "primary"  ? "pk"
                                              : "";
    subject.table = table_;
    subject.name = drop->name;
    auto name = ResolveConstraintName(metadata, subject);
    if (!name || !*name) return Status::Refused(table_, "Constraint must have a name");
    const auto found = std::find_if(named_.begin(), named_.end(),
                                    [&](const auto& entry) { return entry.first == **name; });
    if (found == named_.end()) {
      return Status::Refused(table_, "No such constraint: '" + **name + "'");
    }
    if (found->second.kind == Constraint::Kind::kPrimaryKey) primary_key_.clear();
    named_.erase(found);
    return {};
  }
  if (const auto* create = std::get_if<CreateIndex>(&operation)) {
    Index index = create->index;
    index.table = table_;
    new_indexes_.push_back(std::move(index));
    return {};
  }
  if (const auto* drop = std::get_if<DropIndex>(&operation)) {
    const auto found = std::find_if(indexes_.begin(), indexes_.end(), [&](const Index& index) {
      return index.name.value == drop->name.value;
    });
    if (found == indexes_.end()) {
      return Status::Refused(table_, "No such index: '" + drop->name.value.value_or("") + "'");
    }
    indexes_.erase(found);
    return {};
  }
  return {};  // comments: SQLite keeps none
}

Result<TableRebuild> BatchTable::Create() {
  TableRebuild rebuild;
  rebuild.table = table_;
  rebuild.temp_table = ("_alembic_tmp_" + table_).substr(0, 50);

  // 3. Column order.
  if (!batch_.partial_reordering.empty()) {
    std::vector<std::pair<std::string, std::string>> pairs;
    for (const auto& run : batch_.partial_reordering) {
      for (size_t i = 1; i < run.size(); i++) {
        if (run[i - 1] != run[i]) pairs.emplace_back(run[i - 1], run[i]);
      }
    }
    std::vector<std::string> keys;
    for (const BatchColumn& column : columns_) keys.push_back(column.key);
    auto sorted = TopologicalSort(pairs, keys, table_);
    if (!sorted) return Fail(sorted.error());
    std::vector<BatchColumn> ordered;
    for (const std::string& key : *sorted) ordered.push_back(*Find(key));
    columns_ = std::move(ordered);
  }

  // 4. The new table.
  Table table;
  table.name = rebuild.temp_table;
  table.sqlite_autoincrement = batch_.sqlite_autoincrement;
  table.sqlite_with_rowid = batch_.sqlite_with_rowid;
  std::set<std::string> keys;
  for (const BatchColumn& column : columns_) {
    table.columns.push_back(column.column);
    keys.insert(column.key);
  }
  std::vector<Constraint> copied;
  for (const auto& entry : named_) copied.push_back(entry.second);
  copied.insert(copied.end(), unnamed_.begin(), unnamed_.end());
  bool has_primary_key_constraint = false;
  for (const Constraint& arg : batch_.table_args) {
    if (arg.kind == Constraint::Kind::kPrimaryKey) {
      table.primary_key = arg.primary_key;
      has_primary_key_constraint = true;
    } else {
      table.constraints.push_back(arg);
    }
  }
  for (Constraint constraint : copied) {
    const std::vector<std::string> columns = ConstraintColumns(constraint);
    if (!std::all_of(columns.begin(), columns.end(),
                     [&keys](const std::string& c) { return keys.count(c) > 0; })) {
      continue;
    }
    switch (constraint.kind) {
      case Constraint::Kind::kPrimaryKey:
        constraint.primary_key.columns = CurrentNames(constraint.primary_key.columns);
        table.primary_key = constraint.primary_key;
        has_primary_key_constraint = true;
        continue;
      case Constraint::Kind::kUnique:
        constraint.unique.columns = CurrentNames(constraint.unique.columns);
        break;
      case Constraint::Kind::kForeignKey:
        constraint.foreign_key.columns = CurrentNames(constraint.foreign_key.columns);
        break;
      case Constraint::Kind::kCheck:
        break;
    }
    table.constraints.push_back(std::move(constraint));
  }
  // The columns' own primary-key flags, as the copies carry them.
  const std::vector<std::string> primary_key = CurrentNames(primary_key_);
  for (Column& column : table.columns) {
    column.primary_key =
        std::find(primary_key.begin(), primary_key.end(), column.name) != primary_key.end();
  }
  if (!has_primary_key_constraint && !primary_key.empty()) {
    table.primary_key = PrimaryKeyConstraint{primary_key, {}, {}, {}};
  }
  if (table.primary_key && table.primary_key->columns.empty()) table.primary_key.reset();
  // The copied constraints already carry their final names: render them
  // without a convention (the new table lives in a fresh MetaData()).
  RenderOptions options;
  auto create = RenderSqlite(CreateTable{table}, options);
  if (!create) return Fail(create.error());
  rebuild.create_table = create->front();

  std::string targets;
  std::string sources;
  const std::string source_table = SqlalchemyQuote(table_);
  for (const BatchColumn& column : columns_) {
    if (!column.transferred) continue;
    if (!targets.empty()) {
      targets += ", ";
      sources += ", ";
    }
    targets += SqlalchemyQuote(column.column.name);
    const std::string source = source_table + "." + SqlalchemyQuote(column.key);
    if (column.cast_to) {
      sources += "CAST(" + source + " AS " + CompileSqliteType(*column.cast_to) + ") AS " +
                 SqlalchemyQuote(column.key);
    } else {
      sources += source;
    }
  }
  // SQLAlchemy's INSERT ... SELECT with include_defaults: each added column
  // with a Python-side default joins the column list after the copied ones,
  // in the new table's order, and its value joins the SELECT, labelled as
  // the compiler labels an unnamed expression (anon_1, lower_1, ...).
  // NOTE: a label inside a default's own subquery (max_1) is numbered on
  // its own, so two such subqueries repeat a label SQLAlchemy would not;
  // only --sql shows it.
  std::string literal_sources = sources;
  std::map<std::string, int> label_counts;
  for (const BatchColumn& column : columns_) {
    if (column.transferred || !column.column.python_default) continue;
    const ColumnDefault& value = *column.column.python_default;
    std::string label;
    if (!value.label.empty()) {
      label = " AS " + value.label + "_" + std::to_string(++label_counts[value.label]);
    }
    const std::string separator = targets.empty() ? "" : ", ";
    targets += separator + SqlalchemyQuote(column.column.name);
    sources += separator + value.sql + label;
    literal_sources += separator + value.literal_sql + label;
    rebuild.copy_parameters.insert(rebuild.copy_parameters.end(), value.parameters.begin(),
                                   value.parameters.end());
  }
  const std::string insert = "INSERT INTO " + SqlalchemyQuote(rebuild.temp_table) + " (" +
                             targets + ") SELECT ";
  rebuild.copy_rows = insert + sources + " \nFROM " + source_table;
  rebuild.copy_rows_literal = insert + literal_sources + " \nFROM " + source_table;
  rebuild.drop_table = "\nDROP TABLE " + source_table;
  rebuild.rename_table =
      "ALTER TABLE " + SqlalchemyQuote(rebuild.temp_table) + " RENAME TO " + source_table;

  std::vector<Index> indexes;
  for (Index index : indexes_) {
    for (IndexElement& element : index.elements) {
      if (!element.is_expression) element.text = CurrentName(element.text);
    }
    indexes.push_back(std::move(index));
  }
  indexes.insert(indexes.end(), new_indexes_.begin(), new_indexes_.end());
  for (Index& index : indexes) {
    index.table = table_;
    if (index.name.value) index.name = ConstraintName::F(*index.name.value);
    auto sql = RenderSqlite(ops::CreateIndex{index, false}, options);
    if (!sql) return Fail(sql.error());
    rebuild.create_indexes.push_back(sql->front());
  }
  return rebuild;
}

}  // namespace

std::vector<std::string> TableRebuild::Statements(bool literal_binds) const {
  std::vector<std::string> out = {create_table, literal_binds ? copy_rows_literal : copy_rows,
                                  drop_table, rename_table};
  out.insert(out.end(), create_indexes.begin(), create_indexes.end());
  return out;
}

bool BatchRecreates(const BatchAlterTable& batch) {
  switch (batch.recreate) {
    case BatchAlterTable::Recreate::kAlways:
      return true;
    case BatchAlterTable::Recreate::kNever:
      return false;
    case BatchAlterTable::Recreate::kAuto:
      break;
  }
  for (const BatchOperation& operation : batch.operations) {
    if (const auto* add = std::get_if<AddColumn>(&operation)) {
      const Column& column = add->column;
      if (column.server_default && column.server_default->kind != ServerDefault::Kind::kString) {
        return true;  // a ClauseElement default: ALTER cannot add it
      }
      // A table constraint the column brings (a foreign key, unique=True
      // without index=True): Alembic's add_column queues an add_constraint
      // in the batch, which rebuilds.
      // NOTE: a Boolean's or Enum's CHECK (create_constraint=True) does too,
      // and Alembic's rebuild then writes that CHECK twice; not modelled.
      if (!column.foreign_keys.empty() || (column.unique && !column.index)) return true;
    } else if (!std::holds_alternative<CreateIndex>(operation) &&
               !std::holds_alternative<DropIndex>(operation)) {
      return true;
    }
  }
  return false;
}

Result<TableRebuild> PlanTableRebuild(const BatchAlterTable& batch, const Table& existing,
                                      bool reflected, const MetaData& metadata) {
  BatchTable table(existing, reflected, batch);
  for (const BatchOperation& operation : batch.operations) {
    SQLMEND_RETURN_IF_ERROR(table.Apply(operation, metadata));
  }
  return table.Create();
}

Result<std::vector<std::string>> RenderBatchWithoutRebuild(const BatchAlterTable& batch,
                                                           const MetaData& metadata) {
  RenderOptions options;
  options.metadata = metadata;
  std::vector<std::string> out;
  for (const BatchOperation& operation : batch.operations) {
    Operation single = std::visit(
        [&batch](auto op) -> Operation {
          using T = decltype(op);
          if constexpr (std::is_same_v<T, CreateIndex>) {
            op.index.table = batch.table;
          } else {
            op.table = batch.table;
          }
          return op;
        },
        operation);
    auto statements = RenderSqlite(single, options);
    if (!statements) return Fail(statements.error());
    out.insert(out.end(), statements->begin(), statements->end());
  }
  return out;
}

}  // namespace sqlmend::ops
