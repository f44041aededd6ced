/* moonboot runtime test: unit checks, then the power-cut sweep forked over the cores.
 *   --full          records torn at every granule, pages at up to 128, all second cuts, a third after each
 *   --workers N     processes (default: online cores)
 *   --broken        expect failures: the binary was linked with a planted bug (tests/runtime/broken/, planted/);
 *                   runs a few exchange-heavy combos, or those of --scenario NAME and --geometries G,G,...
 *   --only G,I,S    one combo (geometry index, image, scenario) for debugging
 *   --flash nor|ecc only the geometries of that flash model (default: both)
 *   --unit          unit checks only
 * Last line: "N passed, N failed" (unit checks + combos + wear checks). */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

typedef struct job {
    int geometry, image, scenario;
} job;

int main(int argc, char **argv)
{
    bool full = false, broken = false, unit_only = false;
    int workers = (int)sysconf(_SC_NPROCESSORS_ONLN);
    int only_g = -1, only_i = -1, only_s = -1;
    bool pick_s[S_COUNT] = {false}, pick_g[64] = {false}, any_s = false, any_g = false;
    int flash_model = -1; /* -1 both, 0 NOR only, 1 ECC only */
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--full") == 0) {
            full = true;
        } else if (strcmp(argv[i], "--unit") == 0) {
            unit_only = true;
        } else if (strcmp(argv[i], "--broken") == 0) {
            broken = true;
        } else if (strcmp(argv[i], "--workers") == 0 && i + 1 < argc) {
            workers = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--flash") == 0 && i + 1 < argc) {
            i++;
            flash_model = strcmp(argv[i], "ecc") == 0 ? 1 : strcmp(argv[i], "nor") == 0 ? 0 : -2;
            if (flash_model == -2) {
                fprintf(stderr, "--flash nor|ecc\n");
                return 2;
            }
        } else if (strcmp(argv[i], "--scenario") == 0 && i + 1 < argc) {
            int found = -1;
            for (int k = 0; k < S_COUNT; k++) {
                found = strcmp(argv[i + 1], scenario_names[k]) == 0 ? k : found;
            }
            if (found < 0) {
                fprintf(stderr, "unknown scenario %s\n", argv[i + 1]);
                return 2;
            }
            pick_s[found] = any_s = true;
            i++;
        } else if (strcmp(argv[i], "--geometries") == 0 && i + 1 < argc) {
            for (char *t = strtok(argv[++i], ","); t != NULL; t = strtok(NULL, ",")) {
                int g = atoi(t);
                if (g >= 0 && g < 64) {
                    pick_g[g] = any_g = true;
                }
            }
        } else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
            if (sscanf(argv[++i], "%d,%d,%d", &only_g, &only_i, &only_s) != 3) {
                fprintf(stderr, "--only G,I,S\n");
                return 2;
            }
        } else {
            fprintf(stderr, "usage: %s [--full] [--broken [--scenario NAME]...] [--geometries G,...] [--workers N] [--only G,I,S] [--unit]\n", argv[0]);
            return 2;
        }
    }
    if (workers < 1) {
        workers = 1;
    }
    int passed = 0, failed = 0;
    if ((!broken || unit_only) && only_g < 0) {
        unit_tests(&passed, &failed);
    }
    if (broken && unit_only) {
        printf("planted bug %s by the unit checks (%d failing)\n", failed > 0 ? "caught" : "NOT caught", failed);
        printf("%d passed, %d failed\n", failed > 0 ? 1 : 0, failed > 0 ? 0 : 1);
        return failed > 0 ? 0 : 1;
    }
    if (unit_only) {
        printf("%d passed, %d failed\n", passed, failed);
        return failed == 0 ? 0 : 1;
    }

    geometry geoms[64];
    int ngeom = geometry_matrix(geoms, 64);
    job *jobs = calloc((size_t)ngeom * IMG_COUNT * S_COUNT, sizeof *jobs);
    int njobs = 0;
    for (int g = ngeom - 1; g >= 0; g--) { /* big pages first: the slowest combos do not finish last */
        for (int i = 0; i < IMG_COUNT; i++) {
            for (int s = 0; s < S_COUNT; s++) {
                if (only_g >= 0 && (g != only_g || i != only_i || s != only_s)) {
                    continue;
                }
                if (flash_model >= 0 && (int)geoms[g].ecc != flash_model) {
                    continue;
                }
                if (s == S_ROLLBACK && !geoms[g].signed_images) {
                    continue; /* anti-rollback needs signed images */
                }
                if (geoms[g].big && !full && i != IMG_LARGEST) {
                    continue; /* the fast sweep moves the seed-sized layout's largest image only */
                }
                /* The broken build only needs to be caught somewhere: a few exchange-heavy combos. */
                if (!broken && any_g && !pick_g[g]) {
                    continue; /* a full sweep in shards: --geometries picks them */
                }
                bool g_ok = any_g ? pick_g[g] : (g == 0 || g == 9 || g == 22);
                bool s_ok = any_s ? pick_s[s] : (s == S_CONFIRM || s == S_REVERT);
                if (broken && !(g_ok && i == IMG_LARGEST && s_ok)) {
                    continue;
                }
                jobs[njobs++] = (job){g, i, s};
            }
        }
    }
    /* results[njobs] doubles as the shared job counter: workers take the next combo when they are free. */
    combo_result *results = mmap(NULL, sizeof(combo_result) * (size_t)(njobs + 1), PROT_READ | PROT_WRITE,
                                 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (results == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    memset(results, 0, sizeof(combo_result) * (size_t)(njobs + 1));
    uint64_t *next_job = &results[njobs].cases[0];
    double start = now();
    fflush(stdout);
    for (int w = 0; w < workers; w++) {
        pid_t pid = fork();
        if (pid == 0) {
            for (int j; (j = (int)__atomic_fetch_add(next_job, 1, __ATOMIC_RELAXED)) < njobs;) {
                combo cc;
                combo_setup(&cc, &geoms[jobs[j].geometry], jobs[j].scenario, jobs[j].image, full);
                combo_sweep(&cc, &results[j]);
                combo_free(&cc);
                results[j].done = true;
                if (full) { /* a full sweep takes hours: say what is done */
                    uint64_t n = 0;
                    for (int f = 0; f < F_COUNT; f++) {
                        n += results[j].cases[f];
                    }
                    fprintf(stderr, "done: geometry %d image %d scenario %s: %llu cases, %llu failed, %.0f s in\n",
                            jobs[j].geometry, jobs[j].image, scenario_names[jobs[j].scenario], (unsigned long long)n,
                            (unsigned long long)results[j].failed, now() - start);
                }
            }
            _exit(0);
        }
        if (pid < 0) {
            perror("fork");
            return 1;
        }
    }
    int status;
    while (wait(&status) > 0) {
    }
    double elapsed = now() - start;

    uint64_t per[S_COUNT][F_COUNT] = {{0}}, total = 0, failed_cases = 0;
    int combos_passed = 0, combos_failed = 0;
    for (int j = 0; j < njobs; j++) {
        combo_result *r = &results[j];
        const geometry *g = &geoms[jobs[j].geometry];
        for (int f = 0; f < F_COUNT; f++) {
            per[jobs[j].scenario][f] += r->cases[f];
            total += r->cases[f];
        }
        failed_cases += r->failed;
        if (!r->done || r->failed != 0) {
            combos_failed++;
            if (!broken || combos_failed <= 3) {
                printf("FAIL geometry %d (page %u, granule %u, erased 0x%02X%s) image %d scenario %s: %llu failing "
                       "cases; first: %s\n",
                       jobs[j].geometry, g->page, g->granule, g->erased, g->external ? ", external update bank" : "",
                       jobs[j].image, scenario_names[jobs[j].scenario], (unsigned long long)r->failed,
                       r->done ? r->first_failure : "worker died");
            }
        } else {
            combos_passed++;
        }
    }

    printf("\ncut cases per scenario and fault kind\n%-20s", "scenario");
    for (int f = 0; f < F_COUNT; f++) {
        printf(" %13s", fault_names[f]);
    }
    printf(" %13s\n", "total");
    for (int s = 0; s < S_COUNT; s++) {
        uint64_t row = 0;
        printf("%-20s", scenario_names[s]);
        for (int f = 0; f < F_COUNT; f++) {
            printf(" %13llu", (unsigned long long)per[s][f]);
            row += per[s][f];
        }
        printf(" %13llu\n", (unsigned long long)row);
    }
    printf("%llu cut cases in %.1f s on %d workers (%s sweep), %llu failed\n", (unsigned long long)total, elapsed,
           workers, full ? "full" : "fast", (unsigned long long)failed_cases);

    if (broken) {
        bool caught = failed_cases > 0;
        printf("planted bug %s, %llu of %llu cut cases fail\n",
               caught ? "caught" : "NOT caught", (unsigned long long)failed_cases, (unsigned long long)total);
        free(jobs);
        printf("%d passed, %d failed\n", caught ? 1 : 0, caught ? 0 : 1);
        return caught ? 0 : 1;
    }

    /* Wear and cost of one update and one revert of the largest image, from the uncut runs. */
    if (only_g < 0) {
        printf("\nwear and cost per geometry: largest image, one trial update then one revert (bank + journal)\n");
        printf("%5s %4s %5s %4s %5s | %-34s | %-34s\n", "page", "gran", "erase", "ext", "pages",
               "update: erases   programs  bytes  max", "revert: erases   programs  bytes  max");
        for (int j = 0; j < njobs; j++) {
            if (jobs[j].scenario != S_REVERT || jobs[j].image != IMG_LARGEST || !results[j].done) {
                continue;
            }
            const geometry *g = &geoms[jobs[j].geometry];
            const combo_result *r = &results[j];
            const cost *u = &r->update, *v = &r->revert;
            printf("%5u %4u  0x%02X %4s %5u | %4llu+%-3llu %6llu %8llu  %u/%u | %4llu+%-3llu %6llu %8llu  %u/%u\n",
                   g->page, g->granule, g->erased, g->external ? "yes" : "no", r->pages,
                   (unsigned long long)u->bank_erases, (unsigned long long)u->journal_erases,
                   (unsigned long long)u->programs, (unsigned long long)u->bytes, u->max_bank_page, u->max_journal_page,
                   (unsigned long long)v->bank_erases, (unsigned long long)v->journal_erases,
                   (unsigned long long)v->programs, (unsigned long long)v->bytes, v->max_bank_page,
                   v->max_journal_page);
            /* Done-when: 2 erases per image page, no bank page erased twice, journal no hotter than a bank. */
            bool ok = u->bank_erases == 2u * r->pages && v->bank_erases == 2u * r->pages && u->max_bank_page <= 1u &&
                      v->max_bank_page <= 1u && u->max_journal_page <= u->max_bank_page &&
                      v->max_journal_page <= v->max_bank_page;
            if (ok) {
                passed++;
            } else {
                failed++;
                printf("FAIL wear check for page %u granule %u\n", g->page, g->granule);
            }
        }
        printf("(max = largest erase count of one bank page / one journal page)\n");
    }
    passed += combos_passed;
    failed += combos_failed;
    free(jobs);
    munmap(results, sizeof(combo_result) * (size_t)(njobs + 1));
    printf("\n%d combos passed, %d failed\n", combos_passed, combos_failed);
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
