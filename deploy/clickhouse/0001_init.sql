-- Initial schema: raw surveys and rejections. Tables are always qualified with {{database}},
-- which the migration runner replaces with the configured database (default: surveystream).

CREATE DATABASE IF NOT EXISTS {{database}};

-- One row per survey version. ReplacingMergeTree keyed on submission_id: a redelivered record
-- collapses into one row; `_deleted = 1` (written when an edit supersedes a submission) hides it.
-- Exact counts need FINAL (or argMax over _version).
-- Personal fields never appear in clear: household/village/cluster/device/officer are keyed
-- hashes (`*_key`, for joins) and the household id is also kept encrypted (`household_id_enc`).
CREATE TABLE IF NOT EXISTS {{database}}.surveys
(
    submission_id String,
    deprecated_id Nullable(String),
    device_key String,
    officer_key String,
    survey_date Nullable(Date),
    app_version LowCardinality(String),
    schema_version LowCardinality(String),
    received_at DateTime64(3, 'UTC'),
    ingested_at DateTime64(3, 'UTC'),
    stream_seq UInt64,
    ingestion_id String DEFAULT '',
    `District` LowCardinality(String),
    household_key String,
    household_id_enc String,
    village_key String,
    cluster_key String,
    `HouseholdSize` Nullable(Int32),
    `TimeToOPD` Nullable(Float64),
    `TimeToWater` Nullable(Float64),
    `AgricultureLand` Nullable(Float64),
    `Season1CropsPlanted` Nullable(Int32),
    `Season2CropsPlanted` Nullable(Int32),
    `PerennialCropsGrown` Nullable(Int32),
    `VSLA_Profits` Nullable(Float64),
    `Season1VegetableIncome` Nullable(Float64),
    `Season2VegatableIncome` Nullable(Float64),
    `VegetableIncome` Nullable(Float64),
    `Season1VegetableValue` Nullable(Float64),
    `Season2VegetableValue` Nullable(Float64),
    `SeasonalVegetableValue` Nullable(Float64),
    `FormalEmployment` Nullable(Float64),
    `PersonalBusinessAndSelfEmployment` Nullable(Float64),
    `CasualLabour` Nullable(Float64),
    `RemittancesAndGifts` Nullable(Float64),
    `RentIncome` Nullable(Float64),
    `Season1CropIncome` Nullable(Float64),
    `Season2CropIncome` Nullable(Float64),
    `SeasonalCropIncome` Nullable(Float64),
    `PerenialCropIncome` Nullable(Float64),
    `LivestockIncome` Nullable(Float64),
    `Season1AgricValue` Nullable(Float64),
    `Season2AgricValue` Nullable(Float64),
    `SeasonalAgricValue` Nullable(Float64),
    `PerennialAgricValue` Nullable(Float64),
    `AgricValue` Nullable(Float64),
    `LivestockIncomeConsumed` Nullable(Float64),
    `LivestockAssetValue` Nullable(Float64),
    `HouseholdIcome` Nullable(Float64),
    `Consumption+Residues` Nullable(Float64),
    `HHIncome+Consumption+Residues` Nullable(Float64),
    `HHIncome+Consumption+Assets+Residues` Nullable(Float64),
    `Assets` Nullable(Float64),
    `HHIncome/Day` Nullable(Float64),
    `Consumption/Day` Nullable(Float64),
    `HHIncome+Consumption+Residues/Day` Nullable(Float64),
    `HHIncome+Consumption+Assets+Residues/Day` Nullable(Float64),
    `hhh_sex` Nullable(Int32),
    `hhh_read_write` Nullable(Int32),
    `Material_walls` Nullable(Int32),
    `radios_owned` Nullable(Int32),
    `phones_owned` Nullable(Int32),
    `business_number` Nullable(Int32),
    `work_casual` Nullable(Int32),
    `work_salaried` Nullable(Int32),
    `save_mode_7` Nullable(Int32),
    `Loan_from` Nullable(String),
    `perennial_cropping` Nullable(Int32),
    `household_fertilizer` Nullable(Int32),
    `daily_meals` Nullable(Int32),
    `latrine_constructed` Nullable(Int32),
    `tippy_tap_available` Nullable(Int32),
    `soap_ash_available` Nullable(Int32),
    `standard_hangline` Nullable(Int32),
    `kitchen_house` Nullable(Int32),
    `bathroom_constructed` Nullable(Int32),
    `swept_compound` Nullable(Int32),
    `dish_rack_present` Nullable(Int32),
    `composts` Nullable(Int32),
    `non_bio_waste_mgt_present` Nullable(Int32),
    `apply_liquid_manure` Nullable(Int32),
    `organic_pesticide_expenditure` Nullable(Float64),
    `water_control_practise` Nullable(Int32),
    `soil_management` Nullable(Int32),
    `food_banana_wilt_diseases` Nullable(String),
    `postharvest_food_storage` Nullable(Int32),
    progress_status LowCardinality(Nullable(String)),
    is_vulnerable Nullable(UInt8),
    quality_score Float32,
    warning_rules Array(LowCardinality(String)),
    _version UInt64,
    _deleted UInt8 DEFAULT 0
)
ENGINE = ReplacingMergeTree(_version, _deleted)
PARTITION BY toYYYYMM(received_at)
ORDER BY submission_id;

-- Every rejected record, with its stage, rule ids and messages. The original payload is kept
-- AES-256-GCM encrypted (payload_enc, key id in key_id) so `surveystream dlq replay` can re-drive it.
CREATE TABLE IF NOT EXISTS {{database}}.rejections
(
    rejected_at DateTime64(3, 'UTC'),
    submission_id String,
    `District` LowCardinality(String),
    stage LowCardinality(String),
    rule_ids Array(LowCardinality(String)),
    messages Array(String),
    stream_seq UInt64,
    delivery_count UInt32,
    key_id LowCardinality(String),
    payload_enc String
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(rejected_at)
ORDER BY (submission_id, stage, stream_seq);
