package dev.safemigrate.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.safemigrate.db.CatalogReader.Part;

/**
 * After rows were deleted from some catalogs, the keys read covers the parts whose keys those
 * catalogs' rows make: {@code TargetedCatalogReadsTest} holds the result to whole reads; this
 * pins which parts the usual drops read, by the catalogs PostgreSQL deletes from.
 */
class CatalogReaderPartsTest {

    private static final int NAMESPACE = 0, CLASS = 1, ATTRIBUTE = 2, ATTRDEF = 3, CONSTRAINT = 4, INDEX = 5, PROC = 6,
            TYPE = 7, ENUM = 8, REWRITE = 9;

    @Test
    void theCatalogIndexesAreTheSnapshotOnes() {
        assertEquals(java.util.List.of("pg_namespace", "pg_class", "pg_attribute", "pg_attrdef", "pg_constraint", "pg_index",
                "pg_proc", "pg_type", "pg_enum", "pg_rewrite"), CatalogWrites.SNAPSHOT);
    }

    @Test
    void aDroppedFunctionReadsOnlyTheFunctionsKeys() {
        assertEquals(EnumSet.of(Part.FUNCTIONS), CatalogReader.partsLosingKeys(Set.of(PROC)));
    }

    @Test
    void aDroppedViewOrIndexReadsTheRelationsAndWhatIsReadWithThemButNotTheFunctions() {
        Set<Part> relationParts = EnumSet.of(Part.RELATIONS, Part.COLUMNS, Part.CONSTRAINTS, Part.INDEXES, Part.TYPES);
        assertEquals(relationParts, CatalogReader.partsLosingKeys(Set.of(CLASS, ATTRIBUTE, TYPE, REWRITE)));
        assertEquals(relationParts, CatalogReader.partsLosingKeys(Set.of(CLASS, ATTRIBUTE, INDEX)));
    }

    @Test
    void aDroppedConstraintDefaultOrEnumLabelReadsOnlyWhatItsRowsName() {
        assertEquals(EnumSet.of(Part.CONSTRAINTS), CatalogReader.partsLosingKeys(Set.of(CONSTRAINT)));
        assertEquals(EnumSet.noneOf(Part.class), CatalogReader.partsLosingKeys(Set.of(ATTRDEF)),
                "a dropped default clears atthasdef: its table is found by the scan");
        assertEquals(EnumSet.noneOf(Part.class), CatalogReader.partsLosingKeys(Set.of(ENUM)),
                "enum labels are no key: their type is found by the scan");
        assertEquals(EnumSet.of(Part.COLUMNS), CatalogReader.partsLosingKeys(Set.of(ATTRIBUTE)));
    }

    @Test
    void aDroppedSchemaReadsEveryPart() {
        assertEquals(EnumSet.allOf(Part.class), CatalogReader.partsLosingKeys(Set.of(NAMESPACE)));
    }

    @Test
    void everyKeyTheReadsGiveBelongsToExactlyOnePart() {
        for (String key : new String[] {"schema app", "table public.t", "view public.v", "materialized view public.m",
                "sequence public.s", "foreign table public.f", "column public.t.a", "constraint public.t.t_pkey",
                "index public.t_pkey", "function public.f(integer)", "type public.mood"}) {
            Set<Part> parts = new HashSet<>();
            for (Part part : Part.values()) {
                if (part.reads(key)) {
                    parts.add(part);
                }
            }
            assertEquals(1, parts.size(), key + " → " + parts);
        }
        assertTrue(Part.RELATIONS.reads("materialized view public.m"));
    }
}
