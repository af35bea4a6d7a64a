-- Product lists are streamed in id order for one company: with this index
-- they are read in that order, instead of sorted in memory first.
CREATE INDEX products_company_id ON products (company_id, id);
