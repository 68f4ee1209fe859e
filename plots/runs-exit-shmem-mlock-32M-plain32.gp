# mlockbench plot, standalone: in this folder, run: gnuplot runs-exit-shmem-mlock-32M-plain32.gp
# Writes runs-exit-shmem-mlock-32M-plain32.png and runs-exit-shmem-mlock-32M-plain32.svg from the .dat files beside it.
set encoding utf8
set terminal pngcairo noenhanced size 1100,750 font 'sans,13'
set output 'runs-exit-shmem-mlock-32M-plain32.png'
set title 'exit: teardown run to run - shmem, mlock, 32M per process, 32 plain mappers'."\n".'debian-5.10 (3 runs) vs debian-6.1 (3 runs)'
set grid
set border 3
set tics nomirror
set logscale xy
set xlabel "mlocking processes P (log scale)"
set ylabel "teardown, median of each run (s, log scale)"
set key top left Left reverse box opaque
set format y '%g'
set xtics (1, 4, 16)
set xrange [0.714286:22.4]
plot 'runs-exit-shmem-mlock-32M-plain32.dat' index 0 using 2:3 with points pt 6 ps 1.0 lc rgb '#1f77b4' notitle, \
     'runs-exit-shmem-mlock-32M-plain32.dat' index 1 using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 1.2 lc rgb '#1f77b4' title 'debian-5.10: runs (o), mean with two-level 95% CI', \
     'runs-exit-shmem-mlock-32M-plain32.dat' index 2 using 2:3 with points pt 6 ps 1.0 lc rgb '#d62728' notitle, \
     'runs-exit-shmem-mlock-32M-plain32.dat' index 3 using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 1.2 lc rgb '#d62728' title 'debian-6.1: runs (o), mean with two-level 95% CI'

set terminal svg noenhanced size 1100,750 dynamic font 'sans,13' background '#ffffff'
set output 'runs-exit-shmem-mlock-32M-plain32.svg'
replot
unset output
